using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Presence;

/// <summary>Two instances and Redis, with a one-second offline grace so tests see users go offline quickly.</summary>
public sealed class PresenceClusterFixture() : ClusterFixture(Grace)
{
    public const string Grace = "Presence:OfflineGrace=00:00:01";

    public static readonly TimeSpan GraceTime = TimeSpan.FromSeconds(1);
}

[CollectionDefinition(Name)]
public sealed class PresenceCollection : ICollectionFixture<PresenceClusterFixture>
{
    public const string Name = "Presence";
}

/// <summary>Shorthands for the player calls tests make.</summary>
internal static class PlayerCalls
{
    public static string PlayerOf(this TestClient client) => $"Player-{client.User}";

    public static Task<System.Text.Json.JsonElement> FollowAsync(this TestClient client, params string[] users) =>
        client.CallAsync(client.PlayerOf(), "Follow", new { users });

    public static Task<System.Text.Json.JsonElement> SetStatusAsync(this TestClient client, string status, string? text = null) =>
        client.CallAsync(client.PlayerOf(), "SetStatus", text is null ? new { status } : new { status, text });

    public static async Task<System.Text.Json.JsonElement> PresenceOfAsync(this TestClient client, string user) =>
        (await client.CallAsync(client.PlayerOf(), "GetPresence", new { users = new[] { user } }))[0];

    /// <summary>The next <c>PresenceChanged</c> about <paramref name="user"/> with <paramref name="status"/>.</summary>
    public static Task<System.Text.Json.JsonElement> PresenceChangeAsync(this TestClient client, string user, string status, TimeSpan? timeout = null) =>
        client.NextAsync("PresenceChanged", p => p.GetProperty("user").GetString() == user && p.GetProperty("status").GetString() == status,
            $"{user} is {status}", timeout);
}
