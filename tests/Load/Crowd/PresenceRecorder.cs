using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Counts the <c>PresenceChanged</c> pushes followers receive in one measured phase, and records each one's
/// propagation time. The changing player's status text carries <c>{phase}:{sentAt}</c> (a <see cref="Stopwatch"/>
/// timestamp: one clock for every process on the machine), so a delivery names its change and when it was asked for.
/// A follower that missed a change but got a later change of the same player had it replaced by the newer state while
/// queued (the presence class's coalescing): superseded, not lost.
/// </summary>
internal sealed class PresenceRecorder
{
    private readonly ConcurrentDictionary<long, Change> _changes = new();
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _indexOf;
    // Per follower: per user heard from, how many of this phase's changes arrived and the newest one's mark.
    private readonly Dictionary<int, Heard>[] _heard;
    // Per user: the marks of the changes asked for in this phase, in order.
    private readonly List<long>?[] _asked;
    private long[] _latencies = [];
    private int _count;
    private long _lastAt;
    private int _phase;

    public PresenceRecorder(IReadOnlyList<string> users, bool messagePack)
    {
        MessagePack = messagePack;
        _indexOf = users.Select((user, i) => (user, i)).ToDictionary(p => p.user, p => p.i, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _heard = [.. users.Select(_ => new Dictionary<int, Heard>())];
        _asked = new List<long>?[users.Count];
    }

    /// <summary>Deliveries recorded in the current phase.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>When the current phase's last delivery arrived (a <see cref="Stopwatch"/> timestamp; 0 before the first).</summary>
    public long LastAt => Interlocked.Read(ref _lastAt);

    private bool MessagePack { get; }

    /// <summary>Starts a phase: deliveries of earlier phases are ignored from now on.</summary>
    public void Begin(int phase, int expected)
    {
        Volatile.Write(ref _phase, phase);
        _latencies = new long[expected];
        _changes.Clear();
        foreach (var heard in _heard)
        {
            lock (heard)
            {
                heard.Clear();
            }
        }
        Array.Clear(_asked);
        Volatile.Write(ref _count, 0);
        Interlocked.Exchange(ref _lastAt, 0);
    }

    /// <summary>Notes that <paramref name="user"/>'s change marked <paramref name="sentAt"/> was asked for (one caller at a time).</summary>
    public void Asked(int user, long sentAt) => (_asked[user] ??= []).Add(sentAt);

    /// <summary>The status text that marks a change of <paramref name="phase"/> asked for at <paramref name="sentAt"/>.</summary>
    public static string Mark(int phase, long sentAt) => FormattableString.Invariant($"{phase}:{sentAt}");

    public IInvocationSink SinkFor(int client) => new Sink(this, client);

    /// <summary>
    /// Of the deliveries owed to followers that did not arrive, those replaced by a later change of the same user
    /// that did: for each follower and user, the changes older than the newest one heard, less those heard.
    /// </summary>
    private long Superseded()
    {
        long superseded = 0;
        foreach (var heard in _heard)
        {
            lock (heard)
            {
                foreach (var (user, (count, newest)) in heard)
                {
                    var older = _asked[user]?.Count(sentAt => sentAt < newest) ?? 0;
                    superseded += Math.Max(0, older - (count - 1));
                }
            }
        }
        return superseded;
    }

    /// <summary>Of <paramref name="owed"/> deliveries (changes × followers), those not received: superseded, and the rest, lost.</summary>
    public (long Superseded, long Lost) Missing(long owed)
    {
        var superseded = Superseded();
        return (superseded, Math.Max(0, owed - Count - superseded));
    }

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

    private void Record(int follower, int user, int phase, long sentAt)
    {
        var now = Stopwatch.GetTimestamp();
        var heard = _heard[follower];
        lock (heard)
        {
            if (phase != Volatile.Read(ref _phase))
            {
                return; // a new phase began meanwhile
            }
            heard[user] = heard.TryGetValue(user, out var before) ? new Heard(before.Count + 1, Math.Max(before.Newest, sentAt)) : new Heard(1, sentAt);
        }
        var latency = now - sentAt;
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _latencies.Length)
        {
            _latencies[index] = latency;
        }
        Interlocked.Exchange(ref _lastAt, now);
        var change = _changes.GetOrAdd(sentAt, _ => new Change());
        long max;
        while (latency > (max = Interlocked.Read(ref change.MaxTicks)) && Interlocked.CompareExchange(ref change.MaxTicks, latency, max) != max)
        {
        }
    }

    private bool TryReadMark(ReadOnlySpan<byte> text, out int phase, out long sentAt)
    {
        sentAt = 0;
        phase = 0;
        var colon = text.IndexOf((byte)':');
        return colon > 0
            && int.TryParse(text[..colon], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out phase) && phase == Volatile.Read(ref _phase)
            && long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out sentAt);
    }

    private bool TryIndexOf(ReadOnlySpan<byte> user, out int index)
    {
        Span<char> name = stackalloc char[Math.Min(user.Length, 128)];
        index = -1;
        return user.Length <= name.Length && Encoding.UTF8.TryGetChars(user, name, out var written) && _indexOf.TryGetValue(name[..written], out index);
    }

    private readonly record struct Heard(int Count, long Newest);

    private sealed class Change
    {
        public long MaxTicks;
    }

    private sealed class Sink(PresenceRecorder recorder, int me) : IInvocationSink
    {
        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            // Your own presence comes to you too: only followers' deliveries count.
            if (target.SequenceEqual("PresenceChanged"u8) && UserAndText.TryRead(arguments, recorder.MessagePack, out var user, out var text)
                && recorder.TryIndexOf(user, out var from) && from != me && recorder.TryReadMark(text, out var phase, out var sentAt))
            {
                recorder.Record(me, from, phase, sentAt);
            }
        }
    }
}
