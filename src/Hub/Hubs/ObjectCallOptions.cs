namespace SignalRChat.Hub.Hubs;

/// <summary>How the hub calls objects for clients (configuration section <c>Objects</c>).</summary>
public sealed class ObjectCallOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Objects";

    /// <summary>
    /// The longest a client's call waits for its object, whatever state the object's host is in: 5 s by default. Past
    /// it the call fails with a temporary error that says the outcome is unknown (a send may still be stored; retrying
    /// it with the same <c>clientMessageId</c> is safe).
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
