using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SignalRChat.Push;

namespace SignalRChat.Hub.Hosting;

/// <summary>
/// The first step of stopping, before SignalR, the web server and the silo stop: from then on the hub refuses new
/// connections (503, and <c>/healthz</c> unhealthy, so a load balancer sends clients elsewhere), and every connection
/// is closed with a close message that lets its client reconnect, while the objects can still hear of the disconnects.
/// The silo then deactivates objects nobody uses any more, and the process ends well within
/// <see cref="ClusterOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed class InstanceDrain(ClusterInstances instances, IOptions<ClusterOptions> cluster, ILogger<InstanceDrain> logger) : IHealthCheck
{
    /// <summary>The longest the drain waits for connections to close.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private volatile bool _draining;

    /// <summary>True once the instance is stopping: it takes no new connections.</summary>
    public bool IsDraining => _draining;

    /// <summary>
    /// Runs the drain when the application starts stopping. Register after the hub is mapped: stopping callbacks run
    /// last-registered first, and SignalR's own, registered when the hub is mapped, cuts every connection without a
    /// close message.
    /// </summary>
    public void RunWhenStopping(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopping.Register(() => DrainAsync().GetAwaiter().GetResult());

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("Stopping: this instance takes no new connections.") : HealthCheckResult.Healthy());

    private async Task DrainAsync()
    {
        _draining = true;
        var open = instances.LocalConnections;
        // A third of the graceful stop time at most: the silo's own stop needs the rest.
        var wait = TimeSpan.FromTicks(Math.Min(MaxWait.Ticks, cluster.Value.ShutdownTimeout.Ticks / 3));
        var left = await instances.DrainAsync(wait).ConfigureAwait(false);
        HostingLog.Drained(logger, open, open - left, left, wait);
    }
}
