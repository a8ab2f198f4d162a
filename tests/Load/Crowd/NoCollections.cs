using System.Runtime;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Holds off the load tool's own garbage collections while a phase is measured. The tool stands in for thousands of
/// separate devices: one collection in it pauses every simulated client at once, which no real deployment has, and
/// would be counted as the hub's latency (45 to 150 ms per collection, with 10,000 clients in the tool).
/// If the phase allocates more than the budget, the runtime collects anyway and the hold ends; the phase reports the
/// tool's paused milliseconds either way.
/// </summary>
internal sealed class NoCollections : IDisposable
{
    /// <summary>What the tool may allocate in one measured phase without collecting.</summary>
    private const long Budget = 1L << 30;

    private NoCollections()
    {
    }

    /// <summary>Collects now, then allows up to 1 GiB of allocations without a collection.</summary>
    public static NoCollections Start()
    {
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            GC.TryStartNoGCRegion(Budget);
        }
        return new NoCollections();
    }

    public void Dispose()
    {
        // The mode has already ended if the budget ran out.
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }
    }
}
