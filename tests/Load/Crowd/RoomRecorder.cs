using System.Buffers.Text;
using System.Diagnostics;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Counts the <c>NewMessage</c> pushes the room's members receive in one measured phase, and records each one's time
/// from send to receipt. A message's text is <c>{phase}:{sentAt}:</c> padded to its size (<c>sentAt</c> a
/// <see cref="Stopwatch"/> timestamp: one clock for every process on the machine).
/// </summary>
internal sealed class RoomRecorder(bool messagePack)
{
    private readonly bool _messagePack = messagePack;
    private long[] _latencies = [];
    private int _count;
    private int _phase;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts a phase: deliveries of earlier phases are ignored from now on.</summary>
    public void Begin(int phase, int capacity)
    {
        _latencies = new long[capacity];
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _phase, phase);
    }

    /// <summary>A message text of <paramref name="size"/> characters that marks a send of <paramref name="phase"/> at <paramref name="sentAt"/>.</summary>
    public static string Text(int phase, long sentAt, int size)
    {
        var mark = FormattableString.Invariant($"{phase}:{sentAt}:");
        return mark.PadRight(Math.Max(size, mark.Length), 'x');
    }

    /// <summary>Every recorded delivery's time from send to receipt, in <see cref="Stopwatch"/> ticks, sorted.</summary>
    public long[] LatencyTicks()
    {
        var sorted = _latencies.AsSpan(0, Math.Min(Count, _latencies.Length)).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    public IInvocationSink NewSink() => new MessageSink(this);

    private void Receive(ReadOnlySpan<byte> text)
    {
        var first = text.IndexOf((byte)':');
        if (first <= 0 || !Utf8Parser.TryParse(text[..first], out int phase, out _) || phase != Volatile.Read(ref _phase))
        {
            return;
        }
        var rest = text[(first + 1)..];
        var second = rest.IndexOf((byte)':');
        if (second <= 0 || !Utf8Parser.TryParse(rest[..second], out long sentAt, out _))
        {
            return;
        }
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _latencies.Length)
        {
            _latencies[index] = Stopwatch.GetTimestamp() - sentAt;
        }
    }

    private sealed class MessageSink(RoomRecorder recorder) : IInvocationSink
    {
        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            if (target.SequenceEqual("NewMessage"u8) && UserAndText.TryRead(arguments, recorder._messagePack, out _, out var text))
            {
                recorder.Receive(text);
            }
        }
    }
}
