namespace SignalRChat.Objects.Chat;

/// <summary>World channel limits (configuration section <c>Channels:World</c>).</summary>
public sealed class WorldOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Channels:World";

    /// <summary>Messages one user may send to one world channel per second (a burst of as many is allowed).</summary>
    public double MessagesPerSecond { get; set; } = 2;
}
