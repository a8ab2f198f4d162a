using System.Diagnostics;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Latencies in buckets 1% wide (from 1 µs up), counted without locks and merged by adding counts: what the game
/// scenario's shard processes send the tool instead of every sample. A percentile is the upper edge of its bucket
/// (at most 1% above the exact value) and never above the largest latency, which is kept exactly.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Bucket b ≥ 1 holds latencies from <c>Growth^(b-1)</c> to <c>Growth^b</c> microseconds; bucket 0 those under 1 µs.</summary>
    private const double Growth = 1.01;

    /// <summary>Up to 1.01^2400 µs, about 7 hours: any latency a run can see.</summary>
    private const int Buckets = 2400;

    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[Buckets];
    private long _count;
    private long _maxTicks;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMs => Count == 0 ? double.NaN : Ms(Interlocked.Read(ref _maxTicks));

    /// <summary>Records one latency, in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        ticks = Math.Max(0, ticks);
        var micros = ticks * 1_000_000.0 / Stopwatch.Frequency;
        var bucket = micros < 1 ? 0 : Math.Min(Buckets - 1, (int)(Math.Log(micros) / LogGrowth) + 1);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);
        long max;
        while (ticks > (max = Interlocked.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, ticks, max) != max)
        {
        }
    }

    /// <summary>The <paramref name="quantile"/> (0.5, 0.99) in milliseconds; NaN when nothing was recorded.</summary>
    public double PercentileMs(double quantile)
    {
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * count));
        long seen = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            seen += Interlocked.Read(ref _counts[bucket]);
            if (seen >= rank)
            {
                return Math.Min(Math.Pow(Growth, bucket) / 1000, MaxMs);
            }
        }
        return MaxMs;
    }

    /// <summary>Adds another histogram's counts to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            _counts[bucket] += other._counts[bucket];
        }
        _count += other._count;
        _maxTicks = Math.Max(_maxTicks, other._maxTicks);
    }

    /// <summary>The non-empty buckets as <c>[bucket, count]</c> pairs, and the largest latency: what a shard sends.</summary>
    public (long[][] Buckets, long MaxTicks) ToSparse() =>
        ([.. _counts.Select((count, bucket) => (count, bucket)).Where(b => b.count > 0).Select(b => new[] { b.bucket, b.count })], _maxTicks);

    public static LatencyHistogram FromSparse(long[][] buckets, long maxTicks)
    {
        var histogram = new LatencyHistogram { _maxTicks = maxTicks };
        foreach (var pair in buckets)
        {
            histogram._counts[pair[0]] += pair[1];
            histogram._count += pair[1];
        }
        return histogram;
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
