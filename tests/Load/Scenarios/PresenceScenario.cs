using System.Diagnostics;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// P players on the product's hub (<c>/hub</c>) spread over K instances, each following F others (player i follows
/// i+1 … i+F, so each has F followers). Players change status at each rate of a ladder for a while; every follower's
/// <c>PresenceChanged</c> is timed from the moment the change was asked for. Then all P enter one zone, and players
/// ask <c>Nearby</c>, timed from call to answer.
/// </summary>
internal sealed class PresenceScenario(LoadOptions options, RedisProcess redis, string logDir, Progress progress)
{
    private const string Zone = "Zone-bench";
    private const double NearbyRadius = 100;
    private const int NearbyLimit = 50;
    private const int NeighboursWithinRadius = 20;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);
    private static readonly string[] Statuses = ["in-game", "in-menu"];

    public async Task<IReadOnlyList<Result>> RunAsync(CancellationToken cancellationToken)
    {
        var runs = new List<List<Result>>();
        for (var run = 1; run <= options.Runs; run++)
        {
            progress.Step($"presence, run {run}/{options.Runs}");
            runs.Add(await RunOnceAsync(run, cancellationToken));
        }
        // Row by row (each rate, then nearby): the median over the runs.
        return [.. Enumerable.Range(0, runs[0].Count).Select(row => Result.Median([.. runs.Select(r => r[row])]))];
    }

    private async Task<List<Result>> RunOnceAsync(int run, CancellationToken cancellationToken)
    {
        var players = options.Players;
        await redis.ResetAsync();
        await using var cluster = await LoadCluster.StartAsync(redis, options.Instances, logDir,
            // One ZonePresence a second: every batch goes to every member, and the zone holds all P players.
            ["Presence:IdleAway=01:00:00", $"Zones:MaxPlayers={players}", "Zones:PresenceInterval=00:00:01"], cancellationToken, LoadCluster.NoSpinning);
        var users = Enumerable.Range(0, players).Select(i => $"p{i}").ToArray();
        var tokens = new string[players];
        await Parallel.ForEachAsync(Enumerable.Range(0, players), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, _) => tokens[i] = await cluster.LoginAsync(users[i]));

        var recorder = new PresenceRecorder(users, options.MessagePack);
        await using var crowd = await Crowd.Crowd.ConnectAsync(cluster.Urls, players, i => tokens[i], options.MessagePack, recorder.SinkFor,
            connected => progress.Report($"presence: connecting {connected}/{players}", 0.05 * connected / players),
            path: "/hub", cancellationToken: cancellationToken);
        var clients = crowd.Clients;

        var followed = 0;
        await ForEachAsync(players, async i =>
        {
            var follows = Enumerable.Range(1, options.Follows).Select(k => users[(i + k) % players]).ToArray();
            await clients[i].CallObjectAsync($"Player-{users[i]}", "Follow", new { users = follows });
            progress.Report($"presence: following {Interlocked.Increment(ref followed)}/{players}", 0.05 + 0.1 * followed / players);
        }, cancellationToken);

        var random = new Random(run);
        var toggles = new int[players];
        await WarmUpAsync(clients, users, toggles, random, recorder, cluster, cancellationToken);

        var results = new List<Result>();
        for (var step = 0; step < options.Rates.Count; step++)
        {
            var rate = options.Rates[step];
            progress.Report($"presence: {rate} changes/s", 0.15 + 0.7 * step / options.Rates.Count);
            results.Add(await ChangeStatusesAsync(step + 1, rate, options.Seconds, clients, users, toggles, random, recorder, cluster, cancellationToken));
        }
        progress.Report("presence: nearby", 0.85);
        results.Add(await NearbyAsync(clients, users, random, cluster, cancellationToken));
        return results;
    }

    /// <summary>Uncounted rounds of status changes at the lowest rate until the JIT has settled or
    /// <see cref="LoadOptions.WarmupSeconds"/> have passed.</summary>
    private async Task WarmUpAsync(IReadOnlyList<MinimalHubClient> clients, string[] users, int[] toggles, Random random,
        PresenceRecorder recorder, LoadCluster cluster, CancellationToken cancellationToken) =>
        await JitWarmUp.RunAsync(cluster, options.WarmupSeconds, async round =>
        {
            progress.Report($"presence: warming up, round {round}", 0.15);
            await ChangeStatusesAsync(-round, options.Rates[0], 3, clients, users, toggles, random, recorder, cluster, cancellationToken);
        }, cancellationToken);

    /// <summary>Random players change status at <paramref name="rate"/> per second for <paramref name="seconds"/>; every follower's delivery is timed.</summary>
    private async Task<Result> ChangeStatusesAsync(int phase, int rate, int seconds, IReadOnlyList<MinimalHubClient> clients, string[] users,
        int[] toggles, Random random, PresenceRecorder recorder, LoadCluster cluster, CancellationToken cancellationToken)
    {
        var changes = rate * seconds;
        recorder.Begin(phase, changes * options.Follows);
        using var noCollections = NoCollections.Start();
        var cpuBefore = cluster.CpuMs();
        var redisCpuBefore = ProcessStats.CpuMs(redis.Pid);
        var pauses = await GcPauses.StartAsync(cluster, cancellationToken);
        var calls = new List<Task>(changes);
        var started = Stopwatch.GetTimestamp();
        for (var n = 0; n < changes; n++)
        {
            await Waiting.UntilDueAsync(started, n, rate, cancellationToken);
            var i = random.Next(users.Length);
            var status = Statuses[toggles[i]++ % Statuses.Length];
            var sentAt = Stopwatch.GetTimestamp();
            recorder.Asked(i, sentAt);
            calls.Add(clients[i].CallObjectAsync($"Player-{users[i]}", "SetStatus", new { status, text = PresenceRecorder.Mark(phase, sentAt) }));
        }
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.WhenAll(calls);
        var owed = (long)changes * options.Follows;
        // Coalesced changes never come: with any, this ends once deliveries stop for Quiet (not counted in the rate).
        await Waiting.ForCountAsync(() => recorder.Count, owed, Quiet, _ => { }, cancellationToken);
        var cpu = cluster.CpuMs() - cpuBefore;
        var redisCpu = ProcessStats.CpuMs(redis.Pid) - redisCpuBefore;
        var (hubPaused, toolPaused) = await pauses.ReadAsync(cancellationToken);

        var deliveries = recorder.Count;
        var (superseded, lost) = recorder.Missing(owed);
        var deliveringSeconds = Stopwatch.GetElapsedTime(started, Math.Max(recorder.LastAt, started + 1)).TotalSeconds;
        var latency = LatencySummary.Of(recorder.LatencyTicks());
        var everyFollower = LatencySummary.Of(recorder.EveryFollowerTicks());
        return new Result
        {
            Scenario = "presence",
            Mode = $"{rate}/s",
            Instances = options.Instances,
            Runs = 1,
            Players = users.Length,
            Follows = options.Follows,
            TargetRate = rate,
            ChangesPerSec = changes / Math.Max(sendSeconds, 0.001),
            DeliveriesPerSec = deliveries / deliveringSeconds,
            P50Ms = latency.P50Ms,
            P99Ms = latency.P99Ms,
            MaxMs = latency.MaxMs,
            EveryFollowerP99Ms = everyFollower.P99Ms,
            Lost = lost,
            Superseded = superseded,
            CpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : cpu * 1000 / deliveries,
            RedisCpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : redisCpu * 1000 / deliveries,
            HubGcPauseMs = hubPaused,
            ToolGcPauseMs = toolPaused,
        };
    }

    /// <summary>Every player enters one zone at a random position; then random players ask <c>Nearby</c>, timed call to answer.</summary>
    private async Task<Result> NearbyAsync(IReadOnlyList<MinimalHubClient> clients, string[] users, Random random, LoadCluster cluster, CancellationToken cancellationToken)
    {
        // A square where about NeighboursWithinRadius players stand within the radius of anyone.
        var side = Math.Sqrt(users.Length * Math.PI * NearbyRadius * NearbyRadius / NeighboursWithinRadius);
        var positions = users.Select(_ => (X: (random.NextDouble() - 0.5) * side, Y: (random.NextDouble() - 0.5) * side)).ToArray();
        var entered = 0;
        await ForEachAsync(users.Length, async i =>
        {
            await clients[i].CallObjectAsync(Zone, "Enter", new { x = positions[i].X, y = positions[i].Y });
            progress.Report($"presence: entering {Interlocked.Increment(ref entered)}/{users.Length}", 0.85 + 0.1 * entered / users.Length);
        }, cancellationToken);

        // The enters leave ZonePresence batches and presence changes to deliver: Nearby is measured on a zone at rest.
        await Waiting.ForIdleAsync(cluster, cancellationToken);
        // A game asks Nearby all the time; without this, the first queries measured wait for its code to be compiled.
        await JitWarmUp.RunAsync(cluster, options.WarmupSeconds, async round =>
        {
            progress.Report($"presence: nearby, warming up, round {round}", 0.95);
            await AskNearbyAsync(clients, 2 * options.QueryRate, random, cancellationToken);
        }, cancellationToken);

        var queries = options.Queries;
        using var noCollections = NoCollections.Start();
        var cpuBefore = cluster.CpuMs();
        var pauses = await GcPauses.StartAsync(cluster, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var ticks = await AskNearbyAsync(clients, queries, random, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = cluster.CpuMs() - cpuBefore;
        var (hubPaused, toolPaused) = await pauses.ReadAsync(cancellationToken);
        Array.Sort(ticks);
        var latency = LatencySummary.Of(ticks);
        return new Result
        {
            Scenario = "presence",
            Mode = "nearby",
            Instances = options.Instances,
            Runs = 1,
            Players = users.Length,
            ZonePlayers = users.Length,
            TargetRate = options.QueryRate,
            ChangesPerSec = queries / seconds,
            DeliveriesPerSec = queries / seconds,
            P50Ms = latency.P50Ms,
            P99Ms = latency.P99Ms,
            MaxMs = latency.MaxMs,
            Lost = 0,
            CpuMsPer1kDeliveries = cpu * 1000 / queries,
            HubGcPauseMs = hubPaused,
            ToolGcPauseMs = toolPaused,
        };
    }

    /// <summary>Random players ask <c>Nearby</c> <paramref name="queries"/> times at <see cref="LoadOptions.QueryRate"/>;
    /// returns each call's time to its answer, in stopwatch ticks.</summary>
    private async Task<long[]> AskNearbyAsync(IReadOnlyList<MinimalHubClient> clients, int queries, Random random, CancellationToken cancellationToken)
    {
        var ticks = new long[queries];
        var calls = new List<Task>(queries);
        var started = Stopwatch.GetTimestamp();
        for (var n = 0; n < queries; n++)
        {
            await Waiting.UntilDueAsync(started, n, options.QueryRate, cancellationToken);
            var index = n;
            var client = clients[random.Next(clients.Count)];
            calls.Add(Task.Run(async () =>
            {
                var asked = Stopwatch.GetTimestamp();
                await client.CallObjectAsync(Zone, "Nearby", new { radius = NearbyRadius, limit = NearbyLimit });
                ticks[index] = Stopwatch.GetTimestamp() - asked;
            }, cancellationToken));
        }
        await Task.WhenAll(calls);
        return ticks;
    }

    private static async Task ForEachAsync(int count, Func<int, Task> body, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, _) => await body(i));
}
