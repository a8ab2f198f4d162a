namespace SignalRChat.Objects.Presence;

/// <summary>Presence settings (configuration section <c>Presence</c>).</summary>
public sealed class PresenceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Presence";

    /// <summary>How long a user stays online after their last connection closed, so a reload or reconnect does not flap.</summary>
    public TimeSpan OfflineGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long without any call before a user turns <c>away</c>.</summary>
    public TimeSpan IdleAway { get; set; } = TimeSpan.FromMinutes(5);
}
