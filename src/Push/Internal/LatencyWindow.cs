namespace SignalRChat.Push.Internal;

/// <summary>
/// Push latencies since the last read, in logarithmic buckets (each 25% wider than the one before, from 0.1 ms), so a
/// percentile costs no sorting and recording takes no lock. Accurate to a bucket's width.
/// </summary>
internal sealed class LatencyWindow
{
    private const double FirstBoundMs = 0.1;
    private const double Growth = 1.25;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[64];

    public void Record(double milliseconds)
    {
        var bucket = milliseconds <= FirstBoundMs ? 0 : Math.Min(_counts.Length - 1, 1 + (int)(Math.Log(milliseconds / FirstBoundMs) / LogGrowth));
        Interlocked.Increment(ref _counts[bucket]);
    }

    /// <summary>The upper bound of the bucket that holds the <paramref name="quantile"/> of the latencies recorded since
    /// the last call, in milliseconds; null when none were. Starts a new window.</summary>
    public double? TakeQuantile(double quantile)
    {
        var counts = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Exchange(ref _counts[i], 0);
            total += counts[i];
        }
        if (total == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return FirstBoundMs * Math.Pow(Growth, i);
            }
        }
        return FirstBoundMs * Math.Pow(Growth, counts.Length - 1);
    }
}
