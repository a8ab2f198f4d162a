namespace SignalRChat.Objects.History;

/// <summary>How client-sent messages are stored (configuration section <c>Messages</c>).</summary>
public sealed class MessageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Messages";

    /// <summary>How long a repeat of a send with the same <c>clientMessageId</c> returns the stored message instead of
    /// storing it again: 10 minutes by default.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);
}
