namespace SignalRChat.Push;

/// <summary>How a send to a list of client IDs crosses the backplane.</summary>
public enum PushStrategy
{
    /// <summary>One message to each other instance that holds recipients, carrying only its recipients.</summary>
    PerInstance,

    /// <summary>One message on the channel every instance reads, carrying every remote recipient; each instance delivers to its own.</summary>
    FanOutOnRead,
}
