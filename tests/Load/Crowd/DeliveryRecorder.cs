using System.Diagnostics;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Counts <c>BenchMessage</c> deliveries per client and records each one's latency: receive time minus
/// <c>sentAt</c>, both <see cref="Stopwatch"/> timestamps (one monotonic clock for every process on the machine).
/// </summary>
internal sealed class DeliveryRecorder(int clients, int expectedPerClient, bool messagePack)
{
    private readonly long[] _latencies = new long[(long)clients * expectedPerClient];
    private readonly int[] _perClient = new int[clients];
    private readonly bool _messagePack = messagePack;
    private int _count;
    private int _warmups;
    private long _lastAt;

    public int Expected => _latencies.Length;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Warm-up pushes received (<c>BenchWarmup</c>): counted only to know the warm-up is over.</summary>
    public int Warmups => Volatile.Read(ref _warmups);

    /// <summary>When the last delivery arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public long LastAt => Interlocked.Read(ref _lastAt);

    public IInvocationSink SinkFor(int client) => new Sink(this, client);

    /// <summary>Deliveries that never arrived, and deliveries that arrived more than once.</summary>
    public (long Lost, long Duplicates) Tally()
    {
        long lost = 0, duplicates = 0;
        foreach (var count in _perClient)
        {
            lost += Math.Max(0, expectedPerClient - count);
            duplicates += Math.Max(0, count - expectedPerClient);
        }
        return (lost, duplicates);
    }

    public LatencySummary Latencies() => LatencySummary.Of(LatencyTicks());

    /// <summary>Every recorded latency, in <see cref="Stopwatch"/> ticks, sorted.</summary>
    public long[] LatencyTicks()
    {
        var sorted = _latencies.AsSpan(0, Math.Min(Count, _latencies.Length)).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private void Record(int client, long sentAt)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _perClient[client]);
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _latencies.Length)
        {
            _latencies[index] = now - sentAt;
        }
        long last;
        while (now > (last = Interlocked.Read(ref _lastAt)) && Interlocked.CompareExchange(ref _lastAt, now, last) != last)
        {
        }
    }

    private sealed class Sink(DeliveryRecorder recorder, int client) : IInvocationSink
    {
        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            if (target.SequenceEqual("BenchMessage"u8) && BenchMessages.TryRead(recorder._messagePack, arguments, out _, out var sentAt))
            {
                recorder.Record(client, sentAt);
            }
            else if (target.SequenceEqual("BenchWarmup"u8))
            {
                Interlocked.Increment(ref recorder._warmups);
            }
        }
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencySummary(double P50Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary Of(long[] sortedTicks)
    {
        if (sortedTicks.Length == 0)
        {
            return new(double.NaN, double.NaN, double.NaN);
        }
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        long At(double q) => sortedTicks[Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(q * sortedTicks.Length) - 1)];
        return new(Ms(At(0.50)), Ms(At(0.99)), Ms(sortedTicks[^1]));
    }
}
