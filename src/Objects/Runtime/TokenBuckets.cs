using System.Threading.RateLimiting;

namespace SignalRChat.Objects.Runtime;

/// <summary>The one way our limits build .NET's token buckets (<see cref="TokenBucketRateLimiter"/>), for partitioned
/// limiters (<see cref="PartitionedRateLimiter"/>), which refill their buckets every 100 ms.</summary>
internal static class TokenBuckets
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>A bucket of <paramref name="burst"/> permits refilled at <paramref name="perSecond"/> (in whole 100 ms
    /// steps: 5 a second is one every 200 ms, 30 a second three every 100 ms); never queued.</summary>
    public static TokenBucketRateLimiterOptions Options(double perSecond, int burst)
    {
        var ticksPerPermit = 1 / (perSecond * Tick.TotalSeconds);
        var (tokens, period) = ticksPerPermit <= 1
            ? ((int)Math.Round(perSecond * Tick.TotalSeconds), Tick)
            : (1, Tick * Math.Ceiling(ticksPerPermit));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    /// <summary>When a refused caller may try again, as the bucket computed it.</summary>
    public static TimeSpan RetryAfter(RateLimitLease refused) =>
        refused.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Tick;
}
