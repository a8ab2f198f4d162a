using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Push;
using SignalRChat.Push.Internal;

namespace SignalRChat.Hub.Cluster;

/// <summary>Measures this instance's <see cref="InstanceLoad"/>: each sample covers the time since the one before.</summary>
internal sealed class LoadSampler(ClusterInstances instances, PushMetrics push, InstanceDrain drain, IServer server, IHostApplicationLifetime lifetime,
    IOptions<ClusterOptions> cluster)
{
    private readonly long _startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private long _lastTicks = Stopwatch.GetTimestamp();
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private long _lastDelivered = push.Delivered;
    private string? _url;

    /// <summary>The URL clients reach this instance on, or null (see <see cref="ClusterOptions.PublicUrl"/>).</summary>
    public string? PublicUrl => _url ??= cluster.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/')
        // Before the server has started, its addresses are the configured ones (port 0 not yet bound).
        : lifetime.ApplicationStarted.IsCancellationRequested ? ListeningUrl() : null;

    public InstanceLoad Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(_lastTicks, now).TotalSeconds);
        var cpu = Environment.CpuUsage.TotalTime;
        var delivered = push.Delivered;
        var load = new InstanceLoad(
            instances.LocalInstanceId,
            PublicUrl,
            drain.IsDraining ? InstanceLoad.Draining : InstanceLoad.Ready,
            instances.LocalConnections,
            Math.Round((delivered - _lastDelivered) / seconds, 1),
            push.LatencyWindow.TakeQuantile(0.99) is { } p99 ? Math.Round(p99, 2) : null,
            Math.Round(100 * (cpu - _lastCpu).TotalSeconds / seconds / Environment.ProcessorCount, 1),
            Environment.WorkingSet,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            _startedAt);
        (_lastTicks, _lastCpu, _lastDelivered) = (now, cpu, delivered);
        return load;
    }

    /// <summary>The first address the server listens on, unless it is a wildcard that clients cannot use.</summary>
    private string? ListeningUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri)
            || uri.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" || uri.Port == 0)
        {
            return null;
        }
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
