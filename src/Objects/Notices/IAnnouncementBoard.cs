using Orleans.Concurrency;

namespace SignalRChat.Objects.Notices;

/// <summary>The cluster's announcements (one activation, key <see cref="Key"/>): it pushes each to every connection and
/// keeps the recent ones for connections that open later.</summary>
[Alias("SignalRChat.IAnnouncementBoard")]
public interface IAnnouncementBoard : IGrainWithStringKey
{
    /// <summary>The one key.</summary>
    const string Key = "cluster";

    /// <summary>Stores and pushes an announcement. Use <see cref="Announcements.SendAsync"/>, which checks the arguments.</summary>
    [Alias("Announce")]
    Task<Announcement> Announce(string text, string? data);

    /// <summary>The announcements made within <c>Announcements:Replay</c>, oldest first.</summary>
    [Alias("Recent"), AlwaysInterleave]
    Task<IReadOnlyList<Announcement>> Recent();
}
