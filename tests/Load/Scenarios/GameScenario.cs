using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// The whole game on one machine (issue 12): P players over K instances, half on JSON and half on MessagePack, in
/// guilds, parties of 4 to 8, world channels and zones, each following F friends. At each rate of a ladder (actions per
/// second of all players together) they send guild, party, world and direct messages (a recipient acknowledges each
/// direct message, and its sender's <c>Delivered</c> is timed), change status, move and change zone, in the shares of
/// the mix, while an operator makes an announcement every few seconds and sends system messages to random players.
/// Every delivery is timed from its cause and checked against what was owed, per kind and per priority class
/// (<see cref="GameKinds.ClassOf"/>); the top rates push the machine past what it sustains, to show which class keeps
/// its latency. The players run in shard processes (<see cref="GameShard"/>); the tool keeps the cluster, the operator's
/// announcements and the instances' CPU.
/// </summary>
internal sealed class GameScenario(LoadOptions options, RedisProcess redis, string logDir, Progress progress)
{
    /// <summary>The operator's user name, an administrator in the benchmark's cluster (<c>Auth:DevelopmentAdmins</c>).</summary>
    public const string Operator = "operator";

    /// <summary>A step keeps up when everything sent was delivered within this long after sending ended, and 99% of
    /// its deliveries within this long of their cause: a short step can end before a growing queue shows in its drain.</summary>
    public const double SustainedMs = 1000;

    /// <summary>The rate the issue's cluster figure names: 1,000,000 messages delivered a second.</summary>
    private const double ClusterDeliveriesPerSec = 1_000_000;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<IReadOnlyList<Result>> RunAsync(CancellationToken cancellationToken)
    {
        var runs = new List<List<Result>>();
        for (var run = 1; run <= options.Runs; run++)
        {
            progress.Step($"game, run {run}/{options.Runs}");
            runs.Add(await RunOnceAsync(run, cancellationToken));
        }
        // Row by row (each rate's classes, its total and its kinds): the median over the runs.
        return [.. Enumerable.Range(0, runs[0].Count).Select(row => Result.Median([.. runs.Select(r => r[row])]))];
    }

    private async Task<List<Result>> RunOnceAsync(int run, CancellationToken cancellationToken)
    {
        await redis.ResetAsync();
        await using var cluster = await LoadCluster.StartAsync(redis, options.Instances, logDir, Settings(), cancellationToken, LoadCluster.NoSpinning);
        var operatorToken = await cluster.LoginAsync(Operator);
        var shards = new List<GameShardProcess>();
        try
        {
            var count = LoadOptions.ShardsFor(options.Players);
            var fractions = new double[count];
            for (var shard = 0; shard < count; shard++)
            {
                var first = (int)((long)options.Players * shard / count);
                var size = (int)((long)options.Players * (shard + 1) / count) - first;
                shards.Add(await GameShardProcess.StartAsync(new GameShardConfig(shard, first, size, options.Players, cluster.Urls, operatorToken,
                    options.Protocols, options.Follows, options.GuildSize, options.WorldSize, options.ZoneSize, options.Mix.ToString(),
                    options.SystemRate, Seed: run * 1000 + shard)));
            }
            await Task.WhenAll(shards.Select((shard, i) => shard.WaitReadyAsync(p =>
            {
                fractions[i] = p.Fraction;
                progress.Report($"game: {p.What}{(count > 1 ? $" (shard {i + 1}/{count})" : "")}", 0.3 * fractions.Average());
            }, cancellationToken)));
            progress.Report("game: letting the setup's pushes settle", 0.3);
            // At most as long as the warm-up may take: a smoke run with a second of warm-up does not wait 30 s.
            await Waiting.ForIdleAsync(cluster, cancellationToken, TimeSpan.FromSeconds(Math.Min(30, options.WarmupSeconds)));

            await WarmUpAsync(cluster, shards, operatorToken, cancellationToken);
            var results = new List<Result>();
            for (var step = 0; step < options.Rates.Count; step++)
            {
                var rate = options.Rates[step];
                progress.Report($"game: {rate:N0} actions/s", 0.35 + 0.65 * step / options.Rates.Count);
                results.AddRange(await StepAsync(step + 1, rate, options.Seconds, cluster, shards, operatorToken, cancellationToken));
            }
            return results;
        }
        finally
        {
            foreach (var shard in shards)
            {
                await shard.DisposeAsync();
            }
        }
    }

    /// <summary>The instances' settings for the run: the operator is an administrator, and no per-object limit of the
    /// product gets in the way of the mix (rate limits are off in every benchmark instance already).</summary>
    private List<string> Settings()
    {
        List<string> settings =
        [
            $"Auth:DevelopmentAdmins={Operator}",
            // Nobody is idle for the whole run: statuses change only when the mix says.
            "Presence:IdleAway=01:00:00",
            // Random players send to their world channel: two in one second from one player would be refused at the default 2.
            "Channels:World:MessagesPerSecond=100",
            // Zones are filled at random: one may hold more than its share.
            $"Zones:MaxPlayers={Math.Max(10_000, options.Players)}",
        ];
        if (!options.Priorities)
        {
            settings.Add("Push:Priorities=false");
        }
        if (options.WorldSize > 5_000)
        {
            settings.Add($"Quotas:RoomMembers={options.WorldSize * 2}");
        }
        if (options.GuildSize > 250)
        {
            settings.Add($"Guilds:MaxMembers={options.GuildSize * 2}");
        }
        return settings;
    }

    /// <summary>Uncounted rounds of the mix at the lowest rate until the JIT has settled or
    /// <see cref="LoadOptions.WarmupSeconds"/> have passed.</summary>
    private async Task WarmUpAsync(LoadCluster cluster, IReadOnlyList<GameShardProcess> shards, string operatorToken, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        await JitWarmUp.RunAsync(cluster, options.WarmupSeconds, async round =>
        {
            progress.Report($"game: warming up, round {round}", 0.3 + 0.05 * Math.Min(1, elapsed.Elapsed.TotalSeconds / Math.Max(1, options.WarmupSeconds)));
            await StepAsync(-round, options.Rates[0], Math.Min(3, options.WarmupSeconds), cluster, shards, operatorToken, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>One step of the ladder: the shards act for <paramref name="seconds"/> while the operator announces; then
    /// they report what arrived. Returns a row per class, the step's total, and a row per kind.</summary>
    private async Task<List<Result>> StepAsync(int phase, int rate, double seconds, LoadCluster cluster, IReadOnlyList<GameShardProcess> shards,
        string operatorToken, CancellationToken cancellationToken)
    {
        var cpuBefore = cluster.CpuMs();
        var redisCpuBefore = ProcessStats.CpuMs(redis.Pid);
        var started = Stopwatch.GetTimestamp();
        var sending = Task.WhenAll(shards.Select(s => s.StepAsync(new GameStep(phase, rate, seconds), cancellationToken)));
        var (announcements, failedAnnouncements) = await AnnounceAsync(phase, seconds, started, cluster, operatorToken, cancellationToken);
        var sent = await sending;
        var expect = new GameExpect(announcements, failedAnnouncements);
        var summaries = await Task.WhenAll(shards.Select(s => s.SummaryAsync(expect, cancellationToken)));
        var cpu = cluster.CpuMs() - cpuBefore;
        var redisCpu = ProcessStats.CpuMs(redis.Pid) - redisCpuBefore;
        foreach (var error in summaries.SelectMany(s => s.Errors).Distinct())
        {
            Console.Error.WriteLine($"game, {rate:N0} actions/s{(phase < 0 ? " (warm-up)" : "")}: {error}");
        }
        return Rows(rate, sent, summaries, failedAnnouncements.Count, cpu, redisCpu);
    }

    /// <summary>The operator's announcements during the step, one every <see cref="LoadOptions.AnnounceSeconds"/>,
    /// each through the next instance; returns how many were made and which of them failed.</summary>
    private async Task<(int Count, List<int> Failed)> AnnounceAsync(int phase, double seconds, long started, LoadCluster cluster, string operatorToken,
        CancellationToken cancellationToken)
    {
        var failed = new List<int>();
        var count = 0;
        for (var k = 0; (k + 0.5) * options.AnnounceSeconds < seconds; k++, count++)
        {
            // Half an interval in, then every interval: announcements fall in the middle of the step, not at its edges.
            var due = started + (long)((k + 0.5) * options.AnnounceSeconds * Stopwatch.Frequency);
            if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) is { TotalMilliseconds: > 1 } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }
            var text = $"{GamePushes.Mark(phase, k, Stopwatch.GetTimestamp())}: the servers restart at 03:00";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{cluster.Urls[k % cluster.Urls.Count]}/admin/announcements")
            {
                Content = JsonContent.Create(new { text }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"game: POST /admin/announcements: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    failed.Add(k);
                }
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"game: POST /admin/announcements: {e.Message}");
                failed.Add(k);
            }
        }
        return (count, failed);
    }

    private List<Result> Rows(int rate, GameShardSent[] sent, GameShardSummary[] summaries, int failedAnnouncements, double cpu, double redisCpu)
    {
        var kinds = GameKinds.All.Select(kind =>
        {
            var parts = summaries.Select(s => s.Kinds.Single(k => k.Kind == kind)).ToList();
            var latency = new LatencyHistogram();
            parts.ForEach(p => latency.Add(LatencyHistogram.FromSparse(p.Buckets, p.MaxTicks)));
            var failed = parts.Sum(p => p.Failed) + kind switch
            {
                GameKind.Announcement => failedAnnouncements,
                GameKind.ZonePresence => summaries.Sum(s => s.FailedMoves), // moves tell nobody: their failures go with the zone's
                _ => 0,
            };
            return (Kind: kind, Deliveries: parts.Sum(p => p.Deliveries), Lost: parts.Sum(p => p.Lost), Failed: failed, Latency: latency,
                LastAt: parts.Max(p => p.LastAt), Superseded: parts.Sum(p => p.Superseded));
        }).ToList();

        var startedAt = sent.Min(s => s.StartedAt);
        var sendEnd = sent.Max(s => s.SendEndAt);
        var lastAt = Math.Max(sendEnd, kinds.Max(k => k.LastAt));
        var window = Stopwatch.GetElapsedTime(startedAt, lastAt).TotalSeconds;
        var actionsPerSec = sent.Sum(s => s.Actions) / Math.Max(0.001, Stopwatch.GetElapsedTime(startedAt, sendEnd).TotalSeconds);
        var deliveries = kinds.Sum(k => k.Deliveries);
        var lost = kinds.Sum(k => k.Lost);
        var failed = kinds.Sum(k => k.Failed);
        var drainMs = Stopwatch.GetElapsedTime(sendEnd, lastAt).TotalMilliseconds;
        var cpuPerDelivery = deliveries == 0 ? double.NaN : (cpu + redisCpu) / deliveries;

        Result Row(string @class, string? kind, long count, LatencyHistogram latency, long lostCount, long failedCount) => new()
        {
            Scenario = "game",
            Mode = FormattableString.Invariant($"{rate}/s"),
            Class = @class,
            Kind = kind,
            Instances = options.Instances,
            Runs = 1,
            Players = options.Players,
            Follows = options.Follows,
            TargetRate = rate,
            ActionsPerSec = actionsPerSec,
            DeliveriesPerSec = count / Math.Max(0.001, window),
            P50Ms = latency.PercentileMs(0.50),
            P99Ms = latency.PercentileMs(0.99),
            MaxMs = latency.MaxMs,
            Lost = lostCount,
            Failed = failedCount,
            CpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : cpu * 1000 / deliveries,
            RedisCpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : redisCpu * 1000 / deliveries,
            Setup = Setup(),
        };

        var rows = new List<Result>();
        foreach (var @class in GameKinds.Classes)
        {
            var members = kinds.Where(k => GameKinds.ClassOf(k.Kind) == @class).ToList();
            rows.Add(Row(@class, null, members.Sum(k => k.Deliveries), Merge(members.Select(k => k.Latency)), members.Sum(k => k.Lost), members.Sum(k => k.Failed)));
        }
        var all = Merge(kinds.Select(k => k.Latency));
        rows.Add(Row("all", null, deliveries, all, lost, failed) with
        {
            DrainMs = drainMs,
            Sustained = drainMs <= SustainedMs && all.PercentileMs(0.99) <= SustainedMs && lost == 0 && failed == 0 && actionsPerSec >= 0.95 * rate,
            MachinesFor1MPerSec = ClusterDeliveriesPerSec * cpuPerDelivery / (Environment.ProcessorCount * 1000.0),
            MembersCutOff = summaries.Sum(s => s.ConnectionsClosed),
        });
        rows.AddRange(kinds.Select(k => Row(GameKinds.ClassOf(k.Kind), GameKinds.Name(k.Kind), k.Deliveries, k.Latency, k.Lost, k.Failed) with
        {
            Superseded = k.Superseded,
        }));
        return rows;
    }

    private static LatencyHistogram Merge(IEnumerable<LatencyHistogram> histograms)
    {
        var merged = new LatencyHistogram();
        foreach (var histogram in histograms)
        {
            merged.Add(histogram);
        }
        return merged;
    }

    private string Setup()
    {
        var protocols = options.Protocols == "both" ? "half JSON, half MessagePack" : options.Protocols == "json" ? "JSON" : "MessagePack";
        var shards = LoadOptions.ShardsFor(options.Players);
        return string.Create(CultureInfo.InvariantCulture,
            $"{options.Players:N0} players ({protocols}{(shards > 1 ? $", in {shards} processes" : "")}) over {options.Instances} instances; " +
            $"guilds of {options.GuildSize}, parties of 4-8, world channels of {options.WorldSize}, zones of {options.ZoneSize}, {options.Follows} friends followed each; " +
            $"mix {options.Mix}; priorities {(options.Priorities ? "on" : "off")}; an announcement every {options.AnnounceSeconds:0.##} s, {options.SystemRate:0.##} system messages/s; {options.Seconds} s per rate");
    }
}
