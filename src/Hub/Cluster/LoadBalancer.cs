using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Push;

namespace SignalRChat.Hub.Cluster;

/// <summary>
/// Picks where a negotiating client goes: here, or the least-loaded ready instance when this one holds clearly more
/// (<see cref="ClusterOptions.RebalanceThreshold"/> of the average), or always elsewhere while this one drains.
/// Published loads are up to two <see cref="InstanceLoads.SampleInterval"/>s old, so the clients sent to an instance
/// since its sample was taken are added to it: a burst of connections spreads instead of all going to the instance
/// that was least loaded at the last sample. (A sample's time is its instance's clock: machines' clocks should agree
/// to well within a second, as NTP keeps them.)
/// </summary>
internal sealed class LoadBalancer(InstanceLoads loads, ClusterInstances instances, InstanceDrain drain, IOptions<ClusterOptions> cluster)
{
    /// <summary>How long choices are remembered: longer than a sample can be old when it is read.</summary>
    private static readonly long MemoryMs = (long)(InstanceLoads.SampleInterval * 5).TotalMilliseconds;

    /// <summary>Clients kept here within this time may still be on their way from negotiation to connection.</summary>
    private const long ConnectingMs = 250;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _recent = new(StringComparer.Ordinal);

    /// <summary>The instance to send the client to, or null to keep it here.</summary>
    public InstanceLoad? ChooseElsewhere()
    {
        var threshold = cluster.Value.RebalanceThreshold;
        if (threshold == 0 && !drain.IsDraining)
        {
            return null;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var here = instances.LocalInstanceId;
        InstanceLoad? least = null;
        var leastLoad = long.MaxValue;
        long total = 0;
        var count = 1;
        foreach (var load in loads.Live)
        {
            if (load.InstanceId == here || load.Status != InstanceLoad.Ready || load.Url is null)
            {
                continue;
            }
            var estimate = load.Connections + SentSince(load.InstanceId, load.At, now);
            total += estimate;
            count++;
            if (estimate < leastLoad)
            {
                (least, leastLoad) = (load, estimate);
            }
        }
        if (least is null)
        {
            return null;
        }
        var mine = instances.LocalConnections + SentSince(here, now - ConnectingMs, now);
        var average = (double)(total + mine) / count;
        if (drain.IsDraining || mine - leastLoad > Math.Max(1, threshold * average))
        {
            Remember(least.InstanceId, now);
            return least;
        }
        Remember(here, now);
        return null;
    }

    private void Remember(string instanceId, long now) => _recent.GetOrAdd(instanceId, _ => new()).Enqueue(now);

    /// <summary>Clients sent to the instance since <paramref name="since"/> (Unix milliseconds).</summary>
    private int SentSince(string instanceId, long since, long now)
    {
        if (!_recent.TryGetValue(instanceId, out var times))
        {
            return 0;
        }
        while (times.TryPeek(out var oldest) && now - oldest > MemoryMs)
        {
            times.TryDequeue(out _);
        }
        return times.Count(time => time >= since);
    }
}
