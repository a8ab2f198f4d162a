namespace SignalRChat.Objects.Notices;

/// <summary>What the announcement board stores: the recent announcements and the last number given out.</summary>
[GenerateSerializer, Alias("SignalRChat.AnnouncementBoardState")]
public sealed class AnnouncementBoardState
{
    /// <summary>Announcements within the replay window, oldest first.</summary>
    [Id(0)] public List<Announcement> Recent { get; set; } = [];

    /// <summary>The number of the last announcement, for the next one's ID.</summary>
    [Id(1)] public long Seq { get; set; }
}
