namespace SignalRChat.Load.Report;

/// <summary>One scenario and mode, measured (the median of its runs, metric by metric).</summary>
internal sealed record Result
{
    public required string Scenario { get; init; }
    public required string Mode { get; init; }
    public required int Instances { get; init; }
    public int? RoomSize { get; init; }
    public int? Messages { get; init; }
    public required int Runs { get; init; }

    /// <summary>Messages received by clients per second, from the first send to the last receive.</summary>
    public required double DeliveriesPerSec { get; init; }

    /// <summary>Redis PUBLISH commands per message sent.</summary>
    public double? PublishesPerMessage { get; init; }

    public required double P50Ms { get; init; }
    public required double P99Ms { get; init; }
    public required double MaxMs { get; init; }

    /// <summary>Deliveries that never arrived (counted per client, not assumed).</summary>
    public required long Lost { get; init; }

    /// <summary>CPU time of all hub instances per 1,000 deliveries.</summary>
    public required double CpuMsPer1kDeliveries { get; init; }

    /// <summary>CPU time of Redis per 1,000 deliveries.</summary>
    public double? RedisCpuMsPer1kDeliveries { get; init; }

    /// <summary>How long the uncounted warm-up ran before the JIT settled (fanout).</summary>
    public double? WarmupSeconds { get; init; }

    /// <summary>Times a full outbox made the sender wait (ours only).</summary>
    public long? Backpressure { get; init; }

    public int? Connections { get; init; }
    public double? MemoryBytesPerConnection { get; init; }

    /// <summary>The instances' managed heap after a full collection, after minus before connecting, per connection.</summary>
    public double? HeapBytesPerConnection { get; init; }

    /// <summary>Redis CPU time while the connections opened, per 1,000 of them.</summary>
    public double? RedisCpuMsPer1kConnects { get; init; }

    /// <summary>Redis commands served while the connections opened, per connection.</summary>
    public double? RedisCommandsPerConnect { get; init; }
    public double? ConnectsPerSec { get; init; }

    /// <summary>Connects that failed (a handshake timed out on a busy instance) and were made again.</summary>
    public int? ConnectRetries { get; init; }

    /// <summary>CPU the instances use holding idle connections, in percent of one core.</summary>
    public double? IdleCpuPercent { get; init; }

    /// <summary>Presence: players connected, and how many each follows.</summary>
    public int? Players { get; init; }
    public int? Follows { get; init; }

    /// <summary>Presence: the status changes (or <c>Nearby</c> queries) per second asked for, and reached.</summary>
    public int? TargetRate { get; init; }
    public double? ChangesPerSec { get; init; }

    /// <summary>Presence: per change, the time until its last follower had it; the 99th percentile.</summary>
    public double? EveryFollowerP99Ms { get; init; }

    /// <summary>Presence: players in the zone <c>Nearby</c> searched.</summary>
    public int? ZonePlayers { get; init; }

    /// <summary>Room: messages of history the room started from, how many members sent, the messages it accepted per
    /// second, and the bytes Redis read per message (storage writes, backplane publishes and heartbeats together).</summary>
    public int? HistoryLength { get; init; }
    public int? Senders { get; init; }
    public double? MessagesPerSec { get; init; }
    public double? RedisBytesPerMessage { get; init; }

    /// <summary>flood: the flooder's messages the room accepted, and its calls and connections refused.</summary>
    public long? FloodAccepted { get; init; }
    public long? FloodRefused { get; init; }

    /// <summary>flood: chatting members whose connections the server had closed by the end of the phase; game: players'
    /// connections closed by the end of the step.</summary>
    public int? MembersCutOff { get; init; }

    /// <summary>game: the priority class of the row (<c>system</c>, <c>chat</c>, <c>presence</c>, or <c>all</c> for the
    /// step's total), and for rows of one kind of delivery its name (<c>announcement</c>, <c>guild</c>, …).</summary>
    public string? Class { get; init; }
    public string? Kind { get; init; }

    /// <summary>game: the players' actions (messages, status changes, moves) per second the step reached.</summary>
    public double? ActionsPerSec { get; init; }

    /// <summary>game: calls (and operator requests) that failed; what they would have delivered is not counted as lost.</summary>
    public long? Failed { get; init; }

    /// <summary>fanout with <c>--system-every</c>: latency of the system-class pushes sent among the messages.</summary>
    public double? SystemP50Ms { get; init; }
    public double? SystemP99Ms { get; init; }
    public double? SystemMaxMs { get; init; }

    /// <summary>game, presence: presence deliveries replaced by a newer state of the same player while queued (coalesced): not lost.</summary>
    public long? Superseded { get; init; }

    /// <summary>presence: milliseconds the instances spent paused for garbage collection during the phase, the most of any one instance.</summary>
    public double? HubGcPauseMs { get; init; }

    /// <summary>presence: milliseconds the load tool (which holds every client) spent paused for garbage collection during the phase.</summary>
    public double? ToolGcPauseMs { get; init; }

    /// <summary>game: from the end of the step's sending to its last delivery, in milliseconds.</summary>
    public double? DrainMs { get; init; }

    /// <summary>game: whether the cluster kept up with the step (drained within a second, P99 under a second, nothing
    /// lost or failed, the rate reached); over several runs, whether every run did.</summary>
    public bool? Sustained { get; init; }

    /// <summary>game: how many machines like this one 1,000,000 deliveries a second would take, from the hub and Redis
    /// CPU per delivery of the step.</summary>
    public double? MachinesFor1MPerSec { get; init; }

    /// <summary>game: the setup in words (players, groups, mix), for the report's heading.</summary>
    public string? Setup { get; init; }

    /// <summary>The median of some values (of an even count: the mean of the middle two).</summary>
    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The median of each metric over several runs of the same scenario and mode.</summary>
    public static Result Median(IReadOnlyList<Result> runs)
    {
        static double M(IEnumerable<double> values) => MedianOf(values);
        static double? N(IEnumerable<double?> values) => values.Any(v => v is null) ? null : M(values.Select(v => v!.Value));
        return runs[0] with
        {
            Runs = runs.Count,
            DeliveriesPerSec = M(runs.Select(r => r.DeliveriesPerSec)),
            PublishesPerMessage = N(runs.Select(r => r.PublishesPerMessage)),
            P50Ms = M(runs.Select(r => r.P50Ms)),
            P99Ms = M(runs.Select(r => r.P99Ms)),
            MaxMs = M(runs.Select(r => r.MaxMs)),
            Lost = runs.Max(r => r.Lost), // the worst run: a loss is never averaged away
            CpuMsPer1kDeliveries = M(runs.Select(r => r.CpuMsPer1kDeliveries)),
            RedisCpuMsPer1kDeliveries = N(runs.Select(r => r.RedisCpuMsPer1kDeliveries)),
            WarmupSeconds = N(runs.Select(r => r.WarmupSeconds)),
            Backpressure = runs.Any(r => r.Backpressure is null) ? null : (long)M(runs.Select(r => (double)r.Backpressure!.Value)),
            MemoryBytesPerConnection = N(runs.Select(r => r.MemoryBytesPerConnection)),
            HeapBytesPerConnection = N(runs.Select(r => r.HeapBytesPerConnection)),
            RedisCpuMsPer1kConnects = N(runs.Select(r => r.RedisCpuMsPer1kConnects)),
            RedisCommandsPerConnect = N(runs.Select(r => r.RedisCommandsPerConnect)),
            ConnectsPerSec = N(runs.Select(r => r.ConnectsPerSec)),
            IdleCpuPercent = N(runs.Select(r => r.IdleCpuPercent)),
            ChangesPerSec = N(runs.Select(r => r.ChangesPerSec)),
            EveryFollowerP99Ms = N(runs.Select(r => r.EveryFollowerP99Ms)),
            MessagesPerSec = N(runs.Select(r => r.MessagesPerSec)),
            RedisBytesPerMessage = N(runs.Select(r => r.RedisBytesPerMessage)),
            FloodAccepted = runs.Any(r => r.FloodAccepted is null) ? null : (long)M(runs.Select(r => (double)r.FloodAccepted!.Value)),
            FloodRefused = runs.Any(r => r.FloodRefused is null) ? null : (long)M(runs.Select(r => (double)r.FloodRefused!.Value)),
            MembersCutOff = runs.Any(r => r.MembersCutOff is null) ? null : runs.Max(r => r.MembersCutOff), // the worst run
            Messages = runs.Any(r => r.Messages is null) ? null : (int)M(runs.Select(r => (double)r.Messages!.Value)),
            ActionsPerSec = N(runs.Select(r => r.ActionsPerSec)),
            Failed = runs.Any(r => r.Failed is null) ? null : runs.Max(r => r.Failed), // the worst run, as lost
            SystemP50Ms = N(runs.Select(r => r.SystemP50Ms)),
            SystemP99Ms = N(runs.Select(r => r.SystemP99Ms)),
            SystemMaxMs = N(runs.Select(r => r.SystemMaxMs)),
            Superseded = runs.Any(r => r.Superseded is null) ? null : (long)M(runs.Select(r => (double)r.Superseded!.Value)),
            DrainMs = N(runs.Select(r => r.DrainMs)),
            HubGcPauseMs = N(runs.Select(r => r.HubGcPauseMs)),
            ToolGcPauseMs = N(runs.Select(r => r.ToolGcPauseMs)),
            Sustained = runs.Any(r => r.Sustained is null) ? null : runs.All(r => r.Sustained == true),
            MachinesFor1MPerSec = N(runs.Select(r => r.MachinesFor1MPerSec)),
        };
    }
}
