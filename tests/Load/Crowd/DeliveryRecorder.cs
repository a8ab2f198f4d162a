using System.Diagnostics;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Counts <c>BenchMessage</c> deliveries per client and records each one's latency: receive time minus
/// <c>sentAt</c>, both <see cref="Stopwatch"/> timestamps (one monotonic clock for every process on the machine). The
/// system-class pushes a send may interleave (<c>BenchSystem</c>) are counted and timed apart.
/// </summary>
internal sealed class DeliveryRecorder(int clients, int expectedPerClient, bool messagePack, int systemPerClient = 0)
{
    private readonly long[] _latencies = new long[(long)clients * expectedPerClient];
    private readonly long[] _systemLatencies = new long[(long)clients * systemPerClient];
    private readonly int[] _perClient = new int[clients];
    private readonly int[] _systemPerClient = new int[clients];
    private int _systemCount;
    private readonly bool _messagePack = messagePack;
    private int _count;
    private int _warmups;
    private long _lastAt;

    /// <summary>Deliveries owed, system pushes included.</summary>
    public int Expected => _latencies.Length + _systemLatencies.Length;

    /// <summary>Deliveries received, system pushes included.</summary>
    public int Count => Volatile.Read(ref _count) + Volatile.Read(ref _systemCount);

    /// <summary>Warm-up pushes received (<c>BenchWarmup</c>): counted only to know the warm-up is over.</summary>
    public int Warmups => Volatile.Read(ref _warmups);

    /// <summary>When the last delivery arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public long LastAt => Interlocked.Read(ref _lastAt);

    public IInvocationSink SinkFor(int client) => new Sink(this, client);

    /// <summary>Deliveries that never arrived, and deliveries that arrived more than once.</summary>
    public (long Lost, long Duplicates) Tally()
    {
        long lost = 0, duplicates = 0;
        for (var client = 0; client < _perClient.Length; client++)
        {
            lost += Math.Max(0, expectedPerClient - _perClient[client]) + Math.Max(0, systemPerClient - _systemPerClient[client]);
            duplicates += Math.Max(0, _perClient[client] - expectedPerClient) + Math.Max(0, _systemPerClient[client] - systemPerClient);
        }
        return (lost, duplicates);
    }

    /// <summary>The latencies of the <c>BenchMessage</c> deliveries.</summary>
    public LatencySummary Latencies() => LatencySummary.Of(LatencyTicks());

    /// <summary>The latencies of the system-class <c>BenchSystem</c> deliveries.</summary>
    public LatencySummary SystemLatencies() => LatencySummary.Of(Sorted(_systemLatencies, Volatile.Read(ref _systemCount)));

    /// <summary>Every recorded <c>BenchMessage</c> latency, in <see cref="Stopwatch"/> ticks, sorted.</summary>
    public long[] LatencyTicks() => Sorted(_latencies, Volatile.Read(ref _count));

    private static long[] Sorted(long[] latencies, int count)
    {
        var sorted = latencies.AsSpan(0, Math.Min(count, latencies.Length)).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private void Record(int client, long sentAt, bool system)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref (system ? _systemPerClient : _perClient)[client]);
        var latencies = system ? _systemLatencies : _latencies;
        var index = Interlocked.Increment(ref system ? ref _systemCount : ref _count) - 1;
        if (index < latencies.Length)
        {
            latencies[index] = now - sentAt;
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
                recorder.Record(client, sentAt, system: false);
            }
            else if (target.SequenceEqual("BenchSystem"u8) && BenchMessages.TryRead(recorder._messagePack, arguments, out _, out var systemSentAt))
            {
                recorder.Record(client, systemSentAt, system: true);
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
