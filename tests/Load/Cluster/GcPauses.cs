namespace SignalRChat.Load.Cluster;

/// <summary>
/// How long the instances and the tool spend paused for garbage collection during a phase, so that a latency tail can
/// be told apart from a pause.
/// </summary>
internal sealed class GcPauses
{
    private readonly LoadCluster _cluster;
    private readonly double[] _hubBefore;
    private readonly TimeSpan _toolBefore;

    private GcPauses(LoadCluster cluster, double[] hubBefore, TimeSpan toolBefore)
    {
        _cluster = cluster;
        _hubBefore = hubBefore;
        _toolBefore = toolBefore;
    }

    /// <summary>Starts counting now.</summary>
    public static async Task<GcPauses> StartAsync(LoadCluster cluster, CancellationToken cancellationToken) =>
        new(cluster, await cluster.GcPauseMsAsync(cancellationToken), GC.GetTotalPauseDuration());

    /// <summary>Milliseconds paused since the start: the busiest instance's, and this process's.</summary>
    public async Task<(double BusiestHubMs, double ToolMs)> ReadAsync(CancellationToken cancellationToken)
    {
        var tool = GC.GetTotalPauseDuration() - _toolBefore;
        var hub = (await _cluster.GcPauseMsAsync(cancellationToken)).Zip(_hubBefore, (after, before) => after - before).Max();
        return (hub, tool.TotalMilliseconds);
    }
}
