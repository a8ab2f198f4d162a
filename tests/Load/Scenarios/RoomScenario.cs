using System.Diagnostics;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// One chat room of N members on the product's hub (<c>/hub</c>), spread over K instances. For each history length H,
/// a fresh room is filled with H messages, then S members send 60-character messages as fast as the room accepts them
/// (each keeps a window of calls outstanding) for a while. Measured: messages the room accepted per second, the bytes
/// Redis read per message (storage, backplane and all), and every other member's receipt of every message.
/// </summary>
internal sealed class RoomScenario(LoadOptions options, RedisProcess redis, string logDir, Progress progress)
{
    /// <summary>The size of a message's text, as in the measurement.</summary>
    public const int TextSize = 60;

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<Result>> RunAsync(CancellationToken cancellationToken)
    {
        var runs = new List<List<Result>>();
        for (var run = 1; run <= options.Runs; run++)
        {
            progress.Step($"room, run {run}/{options.Runs}");
            runs.Add(await RunOnceAsync(cancellationToken));
        }
        return [.. Enumerable.Range(0, runs[0].Count).Select(row => Result.Median([.. runs.Select(r => r[row])]))];
    }

    private async Task<List<Result>> RunOnceAsync(CancellationToken cancellationToken)
    {
        await redis.ResetAsync();
        await using var cluster = await LoadCluster.StartAsync(redis, options.Instances, logDir, [], cancellationToken, LoadCluster.NoSpinning);
        var users = Enumerable.Range(0, options.Members).Select(i => $"m{i}").ToArray();
        var tokens = await Task.WhenAll(users.Select(cluster.LoginAsync));
        var recorder = new RoomRecorder(options.MessagePack);
        await using var crowd = await Crowd.Crowd.ConnectAsync(cluster.Urls, users.Length, i => tokens[i], options.MessagePack,
            _ => recorder.NewSink(), path: "/hub", cancellationToken: cancellationToken);
        var members = crowd.Clients;
        await WarmUpAsync(members, recorder, cluster, cancellationToken);

        var results = new List<Result>();
        for (var step = 0; step < options.Histories.Count; step++)
        {
            var history = options.Histories[step];
            var room = $"ChatRoom-bench-{step}";
            foreach (var member in members)
            {
                await member.CallObjectAsync(room, "Join");
            }
            progress.Report($"room: filling {history} messages of history", (double)step / options.Histories.Count);
            await SendForAsync(room, members, -1 - step, recorder, count: history, seconds: null, cancellationToken);
            await Waiting.ForCountAsync(() => recorder.Count, (long)history * (members.Count - 1), Quiet, _ => { }, cancellationToken);

            progress.Report($"room: sending from {history} messages of history", (step + 0.5) / options.Histories.Count);
            results.Add(await MeasureAsync(room, history, members, step + 1, recorder, cluster, cancellationToken));
        }
        return results;
    }

    /// <summary>
    /// Uncounted rounds of sending into a room of its own for at least a third of <see cref="LoadOptions.WarmupSeconds"/>,
    /// then until the JIT has settled or all of them have passed: before that, half the instances' CPU goes to the
    /// compiler, and a first measured phase right after a short warm-up ran at two thirds of the rate of later ones.
    /// </summary>
    private async Task WarmUpAsync(IReadOnlyList<MinimalHubClient> members, RoomRecorder recorder, LoadCluster cluster, CancellationToken cancellationToken)
    {
        const string room = "ChatRoom-bench-warmup";
        foreach (var member in members)
        {
            await member.CallObjectAsync(room, "Join");
        }
        await JitWarmUp.RunAsync(cluster, options.WarmupSeconds, async round =>
        {
            progress.Report($"room: warming up, round {round}", 0);
            await SendForAsync(room, members, -100 - round, recorder, count: null, seconds: 3, cancellationToken);
        }, cancellationToken, minSeconds: options.WarmupSeconds / 3.0);
        foreach (var member in members)
        {
            await member.CallObjectAsync(room, "Leave");
        }
    }

    private async Task<Result> MeasureAsync(string room, int history, IReadOnlyList<MinimalHubClient> members, int phase,
        RoomRecorder recorder, LoadCluster cluster, CancellationToken cancellationToken)
    {
        var cpuBefore = cluster.CpuMs();
        var redisCpuBefore = ProcessStats.CpuMs(redis.Pid);
        var bytesBefore = await redis.NetInputBytesAsync();
        var started = Stopwatch.GetTimestamp();
        var sent = await SendForAsync(room, members, phase, recorder, count: null, seconds: options.Seconds, cancellationToken);
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var expected = (long)sent * (members.Count - 1);
        await Waiting.ForCountAsync(() => recorder.Count, expected, Quiet, _ => { }, cancellationToken);
        var bytes = await redis.NetInputBytesAsync() - bytesBefore;
        var cpu = cluster.CpuMs() - cpuBefore;
        var redisCpu = ProcessStats.CpuMs(redis.Pid) - redisCpuBefore;
        var deliveries = recorder.Count;
        var latency = LatencySummary.Of(recorder.LatencyTicks());
        return new Result
        {
            Scenario = "room",
            Mode = $"history {history}",
            Instances = options.Instances,
            Runs = 1,
            RoomSize = members.Count,
            Messages = sent,
            HistoryLength = history,
            Senders = options.Senders,
            MessagesPerSec = sent / sendSeconds,
            DeliveriesPerSec = deliveries / Stopwatch.GetElapsedTime(started).TotalSeconds,
            RedisBytesPerMessage = (double)bytes / sent,
            P50Ms = latency.P50Ms,
            P99Ms = latency.P99Ms,
            MaxMs = latency.MaxMs,
            Lost = Math.Max(0, expected - deliveries),
            CpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : cpu * 1000 / deliveries,
            RedisCpuMsPer1kDeliveries = deliveries == 0 ? double.NaN : redisCpu * 1000 / deliveries,
        };
    }

    /// <summary>
    /// The first S members send, each keeping <see cref="LoadOptions.InFlight"/> calls outstanding, until
    /// <paramref name="count"/> messages are accepted or <paramref name="seconds"/> have passed. Returns how many were.
    /// </summary>
    private async Task<int> SendForAsync(string room, IReadOnlyList<MinimalHubClient> members, int phase, RoomRecorder recorder,
        int? count, int? seconds, CancellationToken cancellationToken)
    {
        recorder.Begin(phase, (count ?? 200_000) * (members.Count - 1));
        var deadline = seconds is { } s ? Stopwatch.GetTimestamp() + s * Stopwatch.Frequency : long.MaxValue;
        var budget = count ?? int.MaxValue;
        var accepted = 0;
        async Task SendLoopAsync(MinimalHubClient sender)
        {
            while (Stopwatch.GetTimestamp() < deadline && Interlocked.Decrement(ref budget) >= 0)
            {
                await sender.CallObjectAsync(room, "SendMessage", new { text = RoomRecorder.Text(phase, Stopwatch.GetTimestamp(), TextSize) });
                Interlocked.Increment(ref accepted);
            }
        }
        var loops = members.Take(options.Senders).SelectMany(sender => Enumerable.Range(0, options.InFlight).Select(_ => SendLoopAsync(sender)));
        await Task.WhenAll(loops).WaitAsync(cancellationToken);
        return accepted;
    }
}
