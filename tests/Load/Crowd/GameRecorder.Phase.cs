using System.Collections.Concurrent;
using System.Diagnostics;

namespace SignalRChat.Load.Crowd;

// One step's events: what each owes, and what arrived for it.
internal sealed partial class GameRecorder
{
    private sealed class Counter
    {
        public long Value;
    }

    /// <summary>One step's events and what arrived for them.</summary>
    private sealed class Phase
    {
        public Phase(int number, int capacity, GameLayout layout)
        {
            Number = number;
            Words = (layout.Follows + 63) / 64;
            Kind = new GameKind[capacity];
            Expected = new int[capacity];
            Received = new int[capacity];
            Failed = new int[capacity];
            SentAt = new long[capacity];
            FollowerBits = new long[capacity * Words];
            ZoneUser = new int[capacity];
            ZoneFrom = new int[capacity];
            ZoneTo = new int[capacity];
            Receivers = new HashSet<int>?[capacity];
            Owed = new int[]?[capacity];
            ZoneEventOf = Enumerable.Repeat(-1, layout.Count).ToArray();
            Latencies = [.. GameKinds.All.Select(_ => new LatencyHistogram())];
            Deliveries = [.. GameKinds.All.Select(_ => new Counter())];
            LastAt = [.. GameKinds.All.Select(_ => new Counter())];
        }

        public int Number { get; }

        public int Words { get; }

        public GameKind[] Kind { get; }
        public int[] Expected { get; }
        public int[] Received { get; }
        public int[] Failed { get; }
        public long[] SentAt { get; }
        public long[] FollowerBits { get; }
        public int[] ZoneUser { get; }
        public int[] ZoneFrom { get; }
        public int[] ZoneTo { get; }
        public HashSet<int>?[] Receivers { get; }
        public int[]?[] Owed { get; }
        public int[] ZoneEventOf { get; }
        public int[] Announcements { get; } = new int[MaxAnnouncements];
        public ConcurrentDictionary<string, int> ReceiptOf { get; } = new(StringComparer.Ordinal);
        public LatencyHistogram[] Latencies { get; }
        public Counter[] Deliveries { get; }
        public Counter[] LastAt { get; }
        public bool Finished { get; set; }

        private int _next;

        /// <summary>Events registered so far.</summary>
        public int Used => Math.Min(Volatile.Read(ref _next), Kind.Length);

        public int Add(GameKind kind, int expected, long sentAt, int events)
        {
            var index = Interlocked.Add(ref _next, events) - events;
            if (index + events > Kind.Length)
            {
                throw new InvalidOperationException($"The step holds more events than the {Kind.Length} it was sized for.");
            }
            Kind[index] = kind;
            Expected[index] = expected;
            SentAt[index] = sentAt;
            return index;
        }

        public bool IsEvent(int index, GameKind kind) => index >= 0 && index < Used && Kind[index] == kind;

        /// <summary>Sets a follower's bit of an event; false when it was set already (the delivery was counted).</summary>
        public bool Mark(int index, int follower)
        {
            ref var word = ref FollowerBits[index * Words + follower / 64];
            var bit = 1L << (follower % 64);
            long before;
            do
            {
                before = Volatile.Read(ref word);
                if ((before & bit) != 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref word, before | bit, before) != before);
            return true;
        }

        public bool AddReceiver(int index, int player)
        {
            var receivers = Receivers[index];
            if (receivers is null)
            {
                Interlocked.CompareExchange(ref Receivers[index], [], null);
                receivers = Receivers[index]!;
            }
            lock (receivers)
            {
                return receivers.Add(player);
            }
        }

        public void Record(GameKind kind, int index, long sentAt)
        {
            var now = Stopwatch.GetTimestamp();
            Latencies[(int)kind].Record(now - sentAt);
            Interlocked.Increment(ref Deliveries[(int)kind].Value);
            if (index >= 0)
            {
                Interlocked.Increment(ref Received[index]);
            }
            ref var last = ref LastAt[(int)kind].Value;
            long seen;
            while (now > (seen = Interlocked.Read(ref last)) && Interlocked.CompareExchange(ref last, now, seen) != seen)
            {
            }
        }
    }
}
