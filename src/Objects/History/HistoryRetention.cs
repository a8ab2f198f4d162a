namespace SignalRChat.Objects.History;

/// <summary>How much of a history is kept: the newest <see cref="MaxMessages"/> (approximately: whole storage blocks
/// are dropped, so a few more may stay), none older than <see cref="MaxAge"/>.</summary>
public sealed class HistoryRetention
{
    /// <summary>How many recent messages are kept, at least.</summary>
    public int MaxMessages { get; set; } = 1000;

    /// <summary>How long a message is kept.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);
}
