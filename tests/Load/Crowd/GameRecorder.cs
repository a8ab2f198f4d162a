using System.Diagnostics;

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
/// push a zone change makes, which carries the same status text, is told apart from the status change's. A follower
/// that missed one but got a later change of the same player had it replaced by the newer state while queued (the
/// presence class's coalescing): superseded, not lost.</item>
/// <item><c>ZonePresence</c>: owed to the members that were in the zone before the change began and stayed to the end
/// of the step (others may get it too: the entering player, say; counted as deliveries, never as owed).</item>
/// <item><c>Delivered</c>: owed once the recipient's <c>Ack</c> is made, timed from it.</item>
/// <item><c>Announcement</c>: the tool's operator numbers them; owed to every player of the shard.</item>
/// </list>
/// </summary>
internal sealed partial class GameRecorder
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

    /// <summary>Registers a status change of <paramref name="player"/>, owed to its followers; returns its index.</summary>
    public int AddStatus(int player, long sentAt)
    {
        var phase = _phase;
        var index = phase.Add(GameKind.Status, _layout.Follows, sentAt, 1);
        phase.ZoneUser[index] = player;
        return index;
    }

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
        Dictionary<int, List<int>>? later = null;
        for (var index = 0; index < phase.Used; index++)
        {
            if (phase.Failed[index] == 0 && phase.Kind[index] != GameKind.ZonePresence
                && Math.Max(0, phase.Expected[index] - Volatile.Read(ref phase.Received[index])) is var owed and > 0)
            {
                missing += phase.Kind[index] is GameKind.Status or GameKind.ZoneFollowers
                    ? owed - Superseded(phase, index, later ??= PresenceEventsByPlayer(phase))
                    : owed;
            }
        }
        return missing > 0 || !phase.Finished ? missing : ZonePresenceMissing(phase);
    }

    /// <summary>The step, per kind.</summary>
    public GameShardSummary Summarize(GameExpect announcements)
    {
        var phase = _phase;
        var kinds = new List<GameKindSummary>();
        var later = PresenceEventsByPlayer(phase);
        foreach (var kind in GameKinds.All)
        {
            long expected = 0, lost = 0, failed = 0, superseded = 0;
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
                var missing = kind == GameKind.ZonePresence ? Missing(phase, index) : Math.Max(0, phase.Expected[index] - phase.Received[index]);
                if (missing > 0 && kind is GameKind.Status or GameKind.ZoneFollowers)
                {
                    var replaced = Superseded(phase, index, later);
                    superseded += replaced;
                    missing -= replaced;
                }
                lost += missing;
            }
            if (kind == GameKind.ZonePresence)
            {
                failed /= 2; // one zone change fails both of its ZonePresence events
            }
            var (buckets, maxTicks) = phase.Latencies[(int)kind].ToSparse();
            kinds.Add(new GameKindSummary(kind, phase.Deliveries[(int)kind].Value, expected, lost, failed, buckets, maxTicks, phase.LastAt[(int)kind].Value)
            {
                Superseded = superseded,
            });
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

    /// <summary>Each player's presence events (status and zone changes) that did not fail, in the order they were made.</summary>
    private static Dictionary<int, List<int>> PresenceEventsByPlayer(Phase phase)
    {
        var events = new Dictionary<int, List<int>>();
        for (var index = 0; index < phase.Used; index++)
        {
            if (phase.Kind[index] is GameKind.Status or GameKind.ZoneFollowers && phase.Failed[index] == 0)
            {
                var player = phase.ZoneUser[index];
                if (!events.TryGetValue(player, out var list))
                {
                    events[player] = list = [];
                }
                list.Add(index);
            }
        }
        return events;
    }

    /// <summary>Followers that missed the presence event at <paramref name="index"/> but got a later one of the same player.</summary>
    private static int Superseded(Phase phase, int index, Dictionary<int, List<int>> events)
    {
        var mine = events[phase.ZoneUser[index]];
        var superseded = 0;
        for (var follower = 0; follower < phase.Words * 64; follower++)
        {
            if (!IsMarked(phase, index, follower) && mine.Any(other => other > index && IsMarked(phase, other, follower)))
            {
                superseded++;
            }
        }
        return superseded;
    }

    private static bool IsMarked(Phase phase, int index, int follower) =>
        (Volatile.Read(ref phase.FollowerBits[index * phase.Words + follower / 64]) & (1L << (follower % 64))) != 0;

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
}
