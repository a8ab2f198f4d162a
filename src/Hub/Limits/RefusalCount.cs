namespace SignalRChat.Hub.Limits;

/// <summary>How many calls of a connection in a row the rate limits refused (<see cref="CallLimits.ShouldClose"/>);
/// kept in the connection's items. Calls of one connection run one at a time.</summary>
internal sealed class RefusalCount
{
    public int InARow { get; set; }
}
