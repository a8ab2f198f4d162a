using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Everything a game shard's players receive in one step, timed and checked against what was owed. Every event the
/// step causes (a message sent, a status or zone change, a system message, an acknowledgement) gets an index; its text
/// carries <c>{phase}:{index}:{sentAt}</c> (<see cref="GamePushes.Mark"/>) when it has one, so each delivery names its
/// event and when it began. Deliveries of other phases are ignored, so a late one never counts twice.
/// <list type="bullet">
/// <item>Messages (guild, party, world, direct, system): owed to every member the layout says (the sender too in
/// guilds and parties, as the protocol says; not in worlds); counted per event.</item>
/// <item><c>PresenceChanged</c>: owed to the F followers, each counted once per event (a bit per follower), so the
/// push a zone change makes, which carries the same status text, is told apart from the status change's.</item>
/// <item><c>ZonePresence</c>: owed to the members that were in the zone before the change began and stayed to the end
/// of the step (others may get it too: the entering player, say; counted as deliveries, never as owed).</item>
/// <item><c>Delivered</c>: owed once the recipient's <c>Ack</c> is made, timed from it.</item>
/// <item><c>Announcement</c>: the tool's operator numbers them; owed to every player of the shard.</item>
/// </list>
/// </summary>
internal sealed class GameRecorder
{
    /// <summary>Announcements counted per step, at most.</summary>
    public const int MaxAnnouncements = 10_000;

    private readonly GameLayout _layout;
    private readonly Func<int, bool> _messagePackOf;
    private readonly MinimalHubClient?[] _clients;
    private Phase _phase;

    /// <param name="messagePackOf">Whether player i's connection speaks MessagePack (else JSON).</param>
    public GameRecorder(GameLayout layout, Func<int, bool> messagePackOf)
    {
        _layout = layout;
        _messagePackOf = messagePackOf;
        _clients = new MinimalHubClient?[layout.Count];
        _phase = new Phase(int.MinValue, 0, layout);
        ZoneOf = new int[layout.Count];
        ZoneSince = new long[layout.Count];
    }

    /// <summary>The zone each player is in (-1: unknown, after a failed <c>Enter</c>), kept by the shard.</summary>
    public int[] ZoneOf { get; }

    /// <summary>When each player's last <c>Enter</c> completed (a <see cref="Stopwatch"/> timestamp), kept by the shard.</summary>
    public long[] ZoneSince { get; }

    /// <summary><c>Ack</c> calls made for direct and system messages that failed (the connection, or the server said no).</summary>
    public long FailedAcks => Interlocked.Read(ref _failedAcks);

    private long _failedAcks;

    /// <summary>Deliveries recorded in the current phase, of every kind.</summary>
    public long Deliveries => _phase.Deliveries.Sum(d => Interlocked.Read(ref d.Value));

    public IInvocationSink SinkFor(int player) => new Sink(this, player, _messagePackOf(player));

    /// <summary>Lets the sink of <paramref name="player"/> acknowledge what it receives, once connected.</summary>
    public void Attach(int player, MinimalHubClient client) => _clients[player] = client;

    /// <summary>Starts a phase with room for <paramref name="capacity"/> events; deliveries of earlier ones are ignored from now on.</summary>
    public void Begin(int phase, int capacity) => Volatile.Write(ref _phase, new Phase(phase, capacity, _layout));

    /// <summary>Registers an event owed to <paramref name="expected"/> recipients; returns its index, for the mark.</summary>
    public int Add(GameKind kind, int expected, long sentAt) => _phase.Add(kind, expected, sentAt, 1);

    /// <summary>Registers a zone change of <paramref name="player"/>: its <c>PresenceChanged</c> to the followers (the
    /// index returned), the <c>ZonePresence</c> of the zone entered (index + 1) and of the zone left (index + 2).</summary>
    public int AddZoneChange(int player, int from, int to, long sentAt)
    {
        var phase = _phase;
        var index = phase.Add(GameKind.ZoneFollowers, _layout.Follows, sentAt, 3);
        phase.Kind[index + 1] = phase.Kind[index + 2] = GameKind.ZonePresence;
        phase.SentAt[index + 1] = phase.SentAt[index + 2] = sentAt;
        phase.ZoneUser[index] = player;
        phase.ZoneFrom[index] = from;
        phase.ZoneTo[index] = to;
        Volatile.Write(ref phase.ZoneEventOf[player], index);
        return index;
    }

    /// <summary>The call of an event failed: what it would have delivered is not owed.</summary>
    public void Fail(int index, int events = 1)
    {
        for (var i = index; i < index + events; i++)
        {
            Volatile.Write(ref _phase.Failed[i], 1);
        }
    }

    /// <summary>Works out who is owed each <c>ZonePresence</c>: call once every call of the step has completed.</summary>
    public void Finish()
    {
        var phase = _phase;
        var members = Enumerable.Range(0, _layout.ZoneCount).Select(_ => new List<int>()).ToArray();
        for (var player = 0; player < _layout.Count; player++)
        {
            if (ZoneOf[player] >= 0)
            {
                members[ZoneOf[player]].Add(player);
            }
        }
        for (var index = 0; index < phase.Used; index++)
        {
            if (phase.Kind[index] != GameKind.ZoneFollowers || phase.Failed[index] != 0)
            {
                continue;
            }
            var (user, sentAt) = (phase.ZoneUser[index], phase.SentAt[index]);
            // There before the change began, and still there: surely told.
            phase.Owed[index + 1] = [.. members[phase.ZoneTo[index]].Where(p => p != user && ZoneSince[p] < sentAt)];
            phase.Owed[index + 2] = [.. members[phase.ZoneFrom[index]].Where(p => p != user && ZoneSince[p] < sentAt)];
            phase.Expected[index + 1] = phase.Owed[index + 1]!.Length;
            phase.Expected[index + 2] = phase.Owed[index + 2]!.Length;
        }
        phase.Finished = true;
    }

    /// <summary>Deliveries owed and not yet received, the operator's announcements included.</summary>
    public long Outstanding(GameExpect announcements)
    {
        var phase = _phase;
        long missing = AnnouncementsMissing(phase, announcements);
        for (var index = 0; index < phase.Used; index++)
        {
            if (phase.Failed[index] == 0 && phase.Kind[index] != GameKind.ZonePresence)
            {
                missing += Math.Max(0, phase.Expected[index] - Volatile.Read(ref phase.Received[index]));
            }
        }
        return missing > 0 || !phase.Finished ? missing : ZonePresenceMissing(phase);
    }

    /// <summary>The step, per kind.</summary>
    public GameShardSummary Summarize(GameExpect announcements)
    {
        var phase = _phase;
        var kinds = new List<GameKindSummary>();
        foreach (var kind in GameKinds.All)
        {
            long expected = 0, lost = 0, failed = 0;
            if (kind == GameKind.Announcement)
            {
                expected = (long)(announcements.Announcements - announcements.Failed.Count) * _layout.Count;
                lost = AnnouncementsMissing(phase, announcements);
            }
            for (var index = 0; index < phase.Used; index++)
            {
                if (phase.Kind[index] != kind)
                {
                    continue;
                }
                if (phase.Failed[index] != 0)
                {
                    failed++;
                    continue;
                }
                expected += phase.Expected[index];
                lost += kind == GameKind.ZonePresence ? Missing(phase, index) : Math.Max(0, phase.Expected[index] - phase.Received[index]);
            }
            if (kind == GameKind.ZonePresence)
            {
                failed /= 2; // one zone change fails both of its ZonePresence events
            }
            var (buckets, maxTicks) = phase.Latencies[(int)kind].ToSparse();
            kinds.Add(new GameKindSummary(kind, phase.Deliveries[(int)kind].Value, expected, lost, failed, buckets, maxTicks, phase.LastAt[(int)kind].Value));
        }
        return new GameShardSummary(kinds, _clients.Count(c => c is null || c.Receiving.IsCompleted));
    }

    private long AnnouncementsMissing(Phase phase, GameExpect announcements)
    {
        long missing = 0;
        for (var k = 0; k < Math.Min(announcements.Announcements, MaxAnnouncements); k++)
        {
            if (!announcements.Failed.Contains(k))
            {
                missing += Math.Max(0, _layout.Count - Volatile.Read(ref phase.Announcements[k]));
            }
        }
        return missing;
    }

    private static long ZonePresenceMissing(Phase phase)
    {
        long missing = 0;
        for (var index = 0; index < phase.Used; index++)
        {
            if (phase.Kind[index] == GameKind.ZonePresence && phase.Failed[index] == 0)
            {
                missing += Missing(phase, index);
            }
        }
        return missing;
    }

    private static long Missing(Phase phase, int index)
    {
        if (phase.Owed[index] is not { } owed)
        {
            return 0;
        }
        var received = phase.Receivers[index];
        if (received is null)
        {
            return owed.Length;
        }
        lock (received)
        {
            return owed.Count(p => !received.Contains(p));
        }
    }

    /// <summary>Acknowledges a direct or system message; a failed <c>Ack</c> makes its receipt not owed.</summary>
    private async Task AckAsync(int player, string id, Phase phase, int receipt)
    {
        try
        {
            if (_clients[player] is { } client
                && await client.InvokeAsync("Call", [_layout.PlayerId(player), "Ack", new { ids = new[] { id } }]) is null)
            {
                return;
            }
        }
        catch (Exception)
        {
            // The connection closed or broke: the acknowledgement failed.
        }
        Interlocked.Increment(ref _failedAcks);
        if (receipt >= 0)
        {
            Volatile.Write(ref phase.Failed[receipt], 1);
        }
    }

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

    /// <summary>What one player's connection receives.</summary>
    private sealed class Sink(GameRecorder recorder, int me, bool messagePack) : IInvocationSink
    {
        private readonly List<int> _entered = [];
        private readonly List<int> _left = [];

        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            var phase = Volatile.Read(ref recorder._phase);
            if (target.SequenceEqual("NewMessage"u8))
            {
                var text = GamePushes.Read(arguments, messagePack).Text;
                if (Event(phase, text, out var index, out var sentAt) && phase.Kind[index] is GameKind.Guild or GameKind.Party or GameKind.World)
                {
                    phase.Record(phase.Kind[index], index, sentAt);
                }
            }
            else if (target.SequenceEqual("DirectMessage"u8))
            {
                DirectMessage(phase, GamePushes.Read(arguments, messagePack));
            }
            else if (target.SequenceEqual("Delivered"u8))
            {
                var id = GamePushes.Read(arguments, messagePack).Id;
                if (phase.ReceiptOf.TryRemove(Encoding.ASCII.GetString(id), out var receipt))
                {
                    phase.Record(GameKind.Receipt, receipt, phase.SentAt[receipt]);
                }
            }
            else if (target.SequenceEqual("SystemMessage"u8))
            {
                var fields = GamePushes.Read(arguments, messagePack);
                if (Event(phase, fields.Text, out var index, out var sentAt) && phase.Kind[index] == GameKind.SystemMessage)
                {
                    phase.Record(GameKind.SystemMessage, index, sentAt);
                }
                // Acknowledged, as a client does once it shows one: it is not kept for the next connection then.
                _ = recorder.AckAsync(me, Encoding.ASCII.GetString(fields.Id), phase, -1);
            }
            else if (target.SequenceEqual("Announcement"u8))
            {
                var text = GamePushes.Read(arguments, messagePack).Text;
                if (GamePushes.TryReadMark(text, out var number, out var k) && number == phase.Number && k is >= 0 and < MaxAnnouncements
                    && SentAt(text, out var sentAt))
                {
                    Interlocked.Increment(ref phase.Announcements[k]);
                    phase.Record(GameKind.Announcement, -1, sentAt);
                }
            }
            else if (target.SequenceEqual("PresenceChanged"u8))
            {
                PresenceChanged(phase, GamePushes.Read(arguments, messagePack));
            }
            else if (target.SequenceEqual("ZonePresence"u8) && GamePushes.TryReadZonePresence(arguments, messagePack, out var zone, _entered, _left))
            {
                ZonePresence(phase, zone, _entered, entered: true);
                ZonePresence(phase, zone, _left, entered: false);
            }
        }

        private void DirectMessage(Phase phase, PushFields fields)
        {
            if (fields.Id.IsEmpty)
            {
                return;
            }
            var id = Encoding.ASCII.GetString(fields.Id);
            var receipt = -1;
            if (Event(phase, fields.Text, out var index, out var sentAt) && phase.Kind[index] == GameKind.Direct)
            {
                phase.Record(GameKind.Direct, index, sentAt);
                // Acknowledged on receipt, as the README advises: the sender then gets Delivered, timed from here.
                receipt = phase.Add(GameKind.Receipt, 1, Stopwatch.GetTimestamp(), 1);
                phase.ReceiptOf[id] = receipt;
            }
            _ = recorder.AckAsync(me, id, phase, receipt);
        }

        private void PresenceChanged(Phase phase, PushFields fields)
        {
            var layout = recorder._layout;
            var player = GamePushes.TryReadNumber(fields.User, out var global) ? layout.Local(global) : -1;
            if (player < 0 || player == me)
            {
                return; // another shard's player, or this player's own presence
            }
            var distance = layout.Distance(me, player);
            if (distance < 1 || distance > layout.Follows)
            {
                return;
            }
            if (Event(phase, fields.Text, out var index, out var sentAt) && phase.Kind[index] == GameKind.Status && phase.Mark(index, distance - 1))
            {
                phase.Record(GameKind.Status, index, sentAt);
                return;
            }
            // Not a status change this follower has yet: the zone change's push, carrying the status text it had.
            var change = Volatile.Read(ref phase.ZoneEventOf[player]);
            if (change >= 0 && GamePushes.TryReadNumber(fields.Zone, out var zone) && zone == phase.ZoneTo[change] && phase.Mark(change, distance - 1))
            {
                phase.Record(GameKind.ZoneFollowers, change, phase.SentAt[change]);
            }
        }

        private void ZonePresence(Phase phase, int zone, List<int> names, bool entered)
        {
            foreach (var global in names)
            {
                var player = recorder._layout.Local(global);
                var change = player < 0 ? -1 : Volatile.Read(ref phase.ZoneEventOf[player]);
                if (change < 0 || zone != (entered ? phase.ZoneTo[change] : phase.ZoneFrom[change]))
                {
                    continue;
                }
                var index = change + (entered ? 1 : 2);
                if (phase.AddReceiver(index, me))
                {
                    phase.Record(GameKind.ZonePresence, index, phase.SentAt[index]);
                }
            }
        }

        /// <summary>The event a text's mark names in this phase, and its send time.</summary>
        private static bool Event(Phase phase, ReadOnlySpan<byte> text, out int index, out long sentAt)
        {
            sentAt = 0;
            return GamePushes.TryReadMark(text, out var number, out index) && number == phase.Number && index >= 0 && index < phase.Used
                && SentAt(text, out sentAt);
        }

        private static bool SentAt(ReadOnlySpan<byte> text, out long sentAt)
        {
            var second = text.IndexOf((byte)':') + 1;
            second += text[second..].IndexOf((byte)':') + 1;
            return System.Buffers.Text.Utf8Parser.TryParse(text[second..], out sentAt, out _);
        }
    }
}
