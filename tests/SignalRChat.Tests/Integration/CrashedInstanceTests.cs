using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>A hub instance that dies without closing its connections: its clients must not haunt rooms forever.</summary>
public sealed class CrashedInstanceTests
{
    [Fact]
    public async Task MembersOfACrashedInstance_AreForgotten_OnceItsHeartbeatExpires()
    {
        const string ttl = "Cluster:InstanceTtl=00:00:04";
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await HubInstance.StartAsync(redis.ConnectionString, ttl);
        await using var doomed = await HubProcess.StartAsync(redis.ConnectionString, ttl, "Cluster:Role=Hub");
        await using var alice = await TestClient.ConnectAsync(survivor, "alice");
        var ghost = await TestClient.ConnectAsync(doomed.Url, "ghost");
        await alice.CallAsync("ChatRoom-haunted", "Join");
        await ghost.CallAsync("ChatRoom-haunted", "Join");
        Assert.Equal(["alice", "ghost"], Names(await alice.CallAsync("ChatRoom-haunted", "ListMembers")));

        doomed.Crash();

        await Eventually.TrueAsync(async () => Names(await alice.CallAsync("ChatRoom-haunted", "ListMembers")).SequenceEqual(["alice"]),
            "the room forgets the crashed instance's member", TimeSpan.FromSeconds(30));
        await ghost.Connection.DisposeAsync();
    }

    private static string[] Names(JsonElement members) => members.EnumerateArray().Select(m => m.GetString()!).ToArray();
}
