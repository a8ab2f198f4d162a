namespace SignalRChat.Load;

/// <summary>How the sender's pushes reach the room's members.</summary>
internal enum FanoutMode
{
    /// <summary>Ours: one backplane message per other instance holding recipients (<c>Push:Strategy=PerInstance</c>).</summary>
    PerInstance,

    /// <summary>Ours: one backplane message with the whole list; every instance delivers to its own (<c>FanOutOnRead</c>).</summary>
    FanOutOnRead,

    /// <summary>Ours per instance, with every push queued as chat (<c>Push:Priorities=false</c>): what the classes change.</summary>
    PerInstanceWithoutPriorities,

    /// <summary>Ours per instance, with a 16 KiB socket send buffer per connection (<c>Cluster:SocketSendBufferBytes</c>):
    /// a slow client's backlog stays in the server's class lanes instead of the kernel's.</summary>
    PerInstanceSmallSocketBuffers,

    /// <summary>SignalR's own Redis backplane with <c>Clients.Clients(list)</c>: one publish per remote recipient.</summary>
    StockClients,

    /// <summary>SignalR's own Redis backplane with <c>Clients.Group(room)</c>: one publish per message.</summary>
    StockGroups,
}

internal static class FanoutModes
{
    public static string Name(FanoutMode mode) => mode switch
    {
        FanoutMode.PerInstance => "per-instance",
        FanoutMode.FanOutOnRead => "fan-out-on-read",
        FanoutMode.PerInstanceWithoutPriorities => "per-instance-no-priorities",
        FanoutMode.PerInstanceSmallSocketBuffers => "per-instance-small-socket-buffers",
        FanoutMode.StockClients => "stock-clients",
        FanoutMode.StockGroups => "stock-groups",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static bool TryParse(string name, out FanoutMode mode)
    {
        foreach (var candidate in Enum.GetValues<FanoutMode>())
        {
            if (Name(candidate) == name)
            {
                mode = candidate;
                return true;
            }
        }
        mode = default;
        return false;
    }

    /// <summary>The modes a run compares unless <c>--modes</c> says otherwise.</summary>
    public static readonly FanoutMode[] Default = [FanoutMode.PerInstance, FanoutMode.FanOutOnRead, FanoutMode.StockClients, FanoutMode.StockGroups];

    /// <summary>The instances' settings for the mode: our strategy, or the bench hub on SignalR's own backplane.</summary>
    public static string[] Settings(FanoutMode mode) => mode switch
    {
        FanoutMode.PerInstance => ["Push:Strategy=PerInstance"],
        FanoutMode.FanOutOnRead => ["Push:Strategy=FanOutOnRead"],
        FanoutMode.PerInstanceWithoutPriorities => ["Push:Strategy=PerInstance", "Push:Priorities=false"],
        FanoutMode.PerInstanceSmallSocketBuffers => ["Push:Strategy=PerInstance", "Cluster:SocketSendBufferBytes=16384"],
        _ => ["Bench:Stock=true"],
    };
}
