using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SignalRChat.Push;

namespace SignalRChat.Hub.Hosting;

/// <summary>
/// The first step of stopping, before SignalR, the web server and the silo stop: from then on the hub refuses new
/// connections (503, and <c>/healthz/ready</c> unhealthy, so a load balancer sends clients elsewhere), and every
/// connection is closed with a close message that lets its client reconnect, spread over
/// <see cref="ClusterOptions.DrainTime"/>, while the objects can still hear of the disconnects.
/// The silo then deactivates objects nobody uses any more, and the process ends well within
/// <see cref="ClusterOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed class InstanceDrain(ClusterInstances instances, IOptions<ClusterOptions> cluster, ILogger<InstanceDrain> logger) : IHealthCheck
{
    /// <summary>The longest the drain waits, after asking the last connections, for them to close.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(2);
    private volatile bool _draining;

    /// <summary>True once the instance is stopping: it takes no new connections.</summary>
    public bool IsDraining => _draining;

    /// <summary>
    /// Runs the drain when the application starts stopping. Register after the hub is mapped: stopping callbacks run
    /// last-registered first, and SignalR's own, registered when the hub is mapped, cuts every connection without a
    /// close message.
    /// </summary>
    /// <param name="lifetime">The application's lifetime.</param>
    /// <param name="announce">Tells the cluster that this instance drains, before its clients are asked to move.</param>
    public void RunWhenStopping(IHostApplicationLifetime lifetime, Func<Task> announce) =>
        lifetime.ApplicationStopping.Register(() => DrainAsync(announce).GetAwaiter().GetResult());

    /// <summary>Degraded while draining: readiness fails (503), and every probe of a stopping instance is no Error in the log.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Degraded("Stopping: this instance takes no new connections.") : HealthCheckResult.Healthy());

    private async Task DrainAsync(Func<Task> announce)
    {
        _draining = true;
        await announce().WaitAsync(AnnounceTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var open = instances.LocalConnections;
        var spread = cluster.Value.DrainTime;
        // A third of the graceful stop time left at most: the silo's own stop needs the rest.
        var wait = TimeSpan.FromTicks(Math.Min(MaxWait.Ticks, (cluster.Value.ShutdownTimeout - spread).Ticks / 3));
        var left = await instances.DrainAsync(open == 0 ? TimeSpan.Zero : spread, wait).ConfigureAwait(false);
        HostingLog.Drained(logger, open, open - left, left, spread + wait);
    }
}
