namespace SignalRChat.Hub.Push;

/// <summary>How a push to a list of clients crosses the backplane.</summary>
public enum PushStrategy
{
    /// <summary>One message to each other instance that holds recipients, carrying only its recipients. The default.</summary>
    PerInstance,

    /// <summary>One message to every instance carrying the whole recipient list; each instance delivers to its own.</summary>
    FanOutOnRead,

    /// <summary>SignalR's own Redis backplane: one message per recipient. For comparison and benchmarks.</summary>
    StockBackplane,
}
