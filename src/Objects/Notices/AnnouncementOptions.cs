namespace SignalRChat.Objects.Notices;

/// <summary>Announcement settings (configuration section <c>Announcements</c>).</summary>
public sealed class AnnouncementOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Announcements";

    /// <summary>How long after an announcement a client that connects still receives it.</summary>
    public TimeSpan Replay { get; set; } = TimeSpan.FromMinutes(5);
}
