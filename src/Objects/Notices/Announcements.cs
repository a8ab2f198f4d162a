using System.Text.Json;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Notices;

/// <summary>
/// Announces to every connected client in the cluster, from server code or the admin endpoint:
/// <c>Announcement {id, text, data, timestamp}</c>, also to clients that connect within <c>Announcements:Replay</c>.
/// </summary>
public static class Announcements
{
    /// <summary>Stores and pushes an announcement.</summary>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which.</exception>
    public static Task<Announcement> SendAsync(IGrainFactory grains, string text, JsonElement? data = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (Problem(text, data, out var json) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        return Board(grains).Announce(text.Trim(), json);
    }

    /// <summary>The announcements a client connecting now receives.</summary>
    public static Task<IReadOnlyList<Announcement>> RecentAsync(IGrainFactory grains) => Board(grains).Recent();

    /// <summary>What is wrong with an announcement's parts, or null; <paramref name="json"/> is the data as compact JSON.</summary>
    public static string? Problem(string? text, JsonElement? data, out string? json) =>
        SystemMessages.TextAndDataProblem(text, data, out json);

    private static IAnnouncementBoard Board(IGrainFactory grains) => grains.GetGrain<IAnnouncementBoard>(IAnnouncementBoard.Key);
}
