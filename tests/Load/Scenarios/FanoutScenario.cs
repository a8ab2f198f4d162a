using System.Diagnostics;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;
using SignalRChat.Load.Server;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// One sender inside instance 0 pushes M messages to a room of S members spread evenly over K instances, once per
/// mode, on the same machine and the same Redis: ours (per instance, fan-out on read) against SignalR's stock Redis
/// backplane (<c>Clients.Clients(list)</c>, and <c>Groups</c>).
/// </summary>
internal sealed class FanoutScenario(LoadOptions options, RedisProcess redis, string logDir, Progress progress)
{
    // A warm-up round is about this many deliveries.
    private const int WarmupRoundDeliveries = 100_000;
    // A round is a burst to every member: kept under the hub's default slow-client limit (256 waiting messages), so a
    // crowd that falls a round behind for a moment is not disconnected as a slow client.
    private const int MaxWarmupRoundMessages = 200;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<Result>> RunAsync(CancellationToken cancellationToken)
    {
        var runs = options.Modes.ToDictionary(mode => mode, _ => new List<Result>());
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var mode in options.Modes)
            {
                progress.Step($"fanout {FanoutModes.Name(mode)}, run {run}/{options.Runs}");
                runs[mode].Add(await RunOnceAsync(mode, cancellationToken));
            }
        }
        return [.. options.Modes.Select(mode => Result.Median(runs[mode]))];
    }

    private async Task<Result> RunOnceAsync(FanoutMode mode, CancellationToken cancellationToken)
    {
        var name = FanoutModes.Name(mode);
        await redis.ResetAsync();
        await using var cluster = await LoadCluster.StartAsync(redis, options.Instances, logDir,
            FanoutModes.Settings(mode), cancellationToken);
        var token = await cluster.LoginAsync("load");
        var recorder = new DeliveryRecorder(options.RoomSize, options.Messages, options.MessagePack,
            options.SystemEvery > 0 ? options.Messages / options.SystemEvery : 0);
        await using var crowd = await Crowd.Crowd.ConnectAsync(cluster.Urls, options.RoomSize, _ => token, options.MessagePack, recorder.SinkFor,
            connected => progress.Report($"fanout {name}: connecting", 0.3 * connected / options.RoomSize), cancellationToken: cancellationToken);

        SendRequest request;
        if (mode == FanoutMode.StockGroups)
        {
            // Client i is on instance i % K: each instance puts its own connections in the group.
            for (var instance = 0; instance < options.Instances; instance++)
            {
                var local = crowd.Clients.Where((_, i) => i % options.Instances == instance).Select(c => c.ConnectionId).ToArray();
                await cluster.PostAsync(instance, "/bench/groups", new GroupRequest("room", local), cancellationToken);
            }
            request = new SendRequest(null, "room", options.Messages, options.Rate, options.Payload, SystemEvery: options.SystemEvery);
        }
        else
        {
            request = new SendRequest([.. crowd.Clients.Select(c => c.ClientId)], null, options.Messages, options.Rate, options.Payload,
                SystemEvery: options.SystemEvery);
        }

        progress.Report($"fanout {name}: warming up", 0.3);
        var warmup = await WarmUpAsync(cluster, request, recorder, cancellationToken);

        var cpuBefore = cluster.CpuMs();
        var redisCpuBefore = ProcessStats.CpuMs(redis.Pid);
        var publishesBefore = await redis.PublishCountAsync();
        var sent = await cluster.PostAsync<SendResult>(0, "/bench/send", request, cancellationToken);
        await Waiting.ForCountAsync(() => recorder.Count, recorder.Expected, Quiet,
            fraction => progress.Report($"fanout {name}: delivering", 0.3 + 0.7 * fraction), cancellationToken);
        var cpu = cluster.CpuMs() - cpuBefore;
        var redisCpu = ProcessStats.CpuMs(redis.Pid) - redisCpuBefore;
        var publishes = await redis.PublishCountAsync() - publishesBefore;

        var deliveries = recorder.Count;
        var seconds = Stopwatch.GetElapsedTime(sent.StartedAt, Math.Max(recorder.LastAt, sent.FinishedAt)).TotalSeconds;
        var latency = recorder.Latencies();
        var system = recorder.SystemLatencies();
        return new Result
        {
            Scenario = "fanout",
            Mode = name,
            Instances = options.Instances,
            RoomSize = options.RoomSize,
            Messages = options.Messages,
            Runs = 1,
            DeliveriesPerSec = deliveries / seconds,
            PublishesPerMessage = (double)publishes / options.Messages,
            P50Ms = latency.P50Ms,
            P99Ms = latency.P99Ms,
            MaxMs = latency.MaxMs,
            Lost = recorder.Tally().Lost,
            CpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : cpu * 1000 / deliveries,
            RedisCpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : redisCpu * 1000 / deliveries,
            WarmupSeconds = warmup.TotalSeconds,
            Backpressure = sent.Backpressure,
            SystemP50Ms = options.SystemEvery > 0 ? system.P50Ms : null,
            SystemP99Ms = options.SystemEvery > 0 ? system.P99Ms : null,
            SystemMaxMs = options.SystemEvery > 0 ? system.MaxMs : null,
        };
    }

    /// <summary>
    /// Pushes uncounted rounds on the measured path until the instances are warm: tiered JIT compiles for half a
    /// minute or more under this load (about 20,000 methods per instance), and numbers taken meanwhile describe the
    /// compiler, not the push path. Stops when the JIT settles or after <see cref="LoadOptions.WarmupSeconds"/>.
    /// Waits for each round to arrive, so none of its publishes are counted afterwards.
    /// </summary>
    /// <returns>How long it took.</returns>
    private async Task<TimeSpan> WarmUpAsync(LoadCluster cluster, SendRequest request, DeliveryRecorder recorder, CancellationToken cancellationToken)
    {
        var round = request with { Messages = Math.Clamp(WarmupRoundDeliveries / options.RoomSize, 20, MaxWarmupRoundMessages), Rate = 0, Warmup = true, SystemEvery = 0 };
        long sent = 0;
        return await JitWarmUp.RunAsync(cluster, options.WarmupSeconds, async _ =>
        {
            await cluster.PostAsync<SendResult>(0, "/bench/send", round, cancellationToken);
            sent += round.Messages;
            await Waiting.ForCountAsync(() => recorder.Warmups, sent * options.RoomSize, Quiet, _ => { }, cancellationToken);
        }, cancellationToken);
    }
}
