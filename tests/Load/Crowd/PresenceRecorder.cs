using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Counts the <c>PresenceChanged</c> pushes followers receive in one measured phase, and records each one's
/// propagation time. The changing player's status text carries <c>{phase}:{sentAt}</c> (a <see cref="Stopwatch"/>
/// timestamp: one clock for every process on the machine), so a delivery names its change and when it was asked for.
/// </summary>
internal sealed class PresenceRecorder(IReadOnlyList<string> users, bool messagePack)
{
    private readonly ConcurrentDictionary<long, Change> _changes = new();
    private long[] _latencies = [];
    private int _count;
    private int _phase;

    public int Count => Volatile.Read(ref _count);

    private bool MessagePack { get; } = messagePack;

    /// <summary>Starts a phase: deliveries of earlier phases are ignored from now on.</summary>
    public void Begin(int phase, int expected)
    {
        _latencies = new long[expected];
        _changes.Clear();
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _phase, phase);
    }

    /// <summary>The status text that marks a change of <paramref name="phase"/> asked for at <paramref name="sentAt"/>.</summary>
    public static string Mark(int phase, long sentAt) => FormattableString.Invariant($"{phase}:{sentAt}");

    public IInvocationSink SinkFor(int client) => new Sink(this, users[client]);

    /// <summary>Every recorded delivery's propagation, in <see cref="Stopwatch"/> ticks, sorted.</summary>
    public long[] LatencyTicks()
    {
        var sorted = _latencies.AsSpan(0, Math.Min(Count, _latencies.Length)).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Per change, how long until its last follower had it, in ticks, sorted.</summary>
    public long[] EveryFollowerTicks()
    {
        var sorted = _changes.Values.Select(c => Interlocked.Read(ref c.MaxTicks)).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private void Record(long sentAt)
    {
        var latency = Stopwatch.GetTimestamp() - sentAt;
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _latencies.Length)
        {
            _latencies[index] = latency;
        }
        var change = _changes.GetOrAdd(sentAt, _ => new Change());
        long max;
        while (latency > (max = Interlocked.Read(ref change.MaxTicks)) && Interlocked.CompareExchange(ref change.MaxTicks, latency, max) != max)
        {
        }
    }

    private bool TryReadMark(ReadOnlySpan<byte> text, out long sentAt)
    {
        sentAt = 0;
        var colon = text.IndexOf((byte)':');
        return colon > 0
            && int.TryParse(text[..colon], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var phase) && phase == Volatile.Read(ref _phase)
            && long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out sentAt);
    }

    private sealed class Change
    {
        public long MaxTicks;
    }

    private sealed class Sink(PresenceRecorder recorder, string me) : IInvocationSink
    {
        private readonly byte[] _me = Encoding.UTF8.GetBytes(me);

        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            // Your own presence comes to you too: only followers' deliveries count.
            if (target.SequenceEqual("PresenceChanged"u8) && UserAndText.TryRead(arguments, recorder.MessagePack, out var user, out var text)
                && !user.SequenceEqual(_me) && recorder.TryReadMark(text, out var sentAt))
            {
                recorder.Record(sentAt);
            }
        }
    }
}
