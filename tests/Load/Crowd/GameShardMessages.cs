using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalRChat.Load.Crowd;

// What the tool and a game shard process (GameShard) say to each other, one JSON object per line: the tool writes the
// config, then "step {GameStep}" and "expect {GameExpect}"; the shard writes "progress {GameProgress}", "ready",
// "sent {GameShardSent}" and "summary {GameShardSummary}".

/// <summary>A shard's share of the game: players <c>p{First}</c> … <c>p{First + Count - 1}</c> and everything they
/// belong to. The operator's token comes here, on standard input, not on a command line where others could read it.</summary>
internal sealed record GameShardConfig(
    int Shard,
    int First,
    int Count,
    int TotalPlayers,
    IReadOnlyList<string> Hubs,
    string OperatorToken,
    string Protocols,
    int Follows,
    int GuildSize,
    int WorldSize,
    int ZoneSize,
    string Mix,
    double SystemRate,
    int Seed);

/// <summary>One step: the whole cluster's actions per second (the shard takes its share) for a number of seconds.
/// A negative phase is a warm-up round.</summary>
internal sealed record GameStep(int Phase, int Rate, double Seconds);

/// <summary>The shard has made every call of the step: how many, and when sending started and ended
/// (<see cref="System.Diagnostics.Stopwatch"/> timestamps).</summary>
internal sealed record GameShardSent(int Actions, int SystemMessages, int Skipped, long StartedAt, long SendEndAt);

/// <summary>The announcements the operator made during the step, numbered from 0, and those its request failed for.</summary>
internal sealed record GameExpect(int Announcements, IReadOnlyList<int> Failed);

/// <summary>What the shard's players received in the step, per kind, and how many of their connections had closed.</summary>
internal sealed record GameShardSummary(IReadOnlyList<GameKindSummary> Kinds, int ConnectionsClosed)
{
    /// <summary><c>Zone.Move</c> calls that failed (moves tell nobody, so they are in no kind).</summary>
    public int FailedMoves { get; init; }

    /// <summary><c>Ack</c> calls that failed.</summary>
    public long FailedAcks { get; init; }

    /// <summary>The commonest errors of the step's calls and requests, with their counts.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}

/// <summary>
/// One kind's deliveries in a step. <c>Expected</c> counts only deliveries sure to be owed (a zone's members that were
/// in it before the change and stayed); <c>Lost</c> those of them that never came; <c>Failed</c> the calls that
/// failed, whose deliveries are not owed.
/// </summary>
internal sealed record GameKindSummary(GameKind Kind, long Deliveries, long Expected, long Lost, long Failed, long[][] Buckets, long MaxTicks, long LastAt)
{
    /// <summary>Presence deliveries not received because a newer state of the same player was (coalesced while queued).</summary>
    public long Superseded { get; init; }
}

internal sealed record GameProgress(string What, double Fraction);

internal static class GameShardJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Line<T>(string verb, T message) => $"{verb} {JsonSerializer.Serialize(message, Options)}";

    public static T Read<T>(string line) =>
        JsonSerializer.Deserialize<T>(line[(line.IndexOf(' ') + 1)..], Options) ?? throw new InvalidOperationException($"Not a {typeof(T).Name}: {line}");
}
