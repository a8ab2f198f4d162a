using System.Collections.Concurrent;
using System.Diagnostics;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// The abuse experiment of issue 15, repeated: one room on K instances where V users chat at a human pace (each sends a
/// message every 500 ms and times the call), and for a while one user floods it from C connections with 4,000-character
/// messages, each connection keeping calls outstanding. Measured per phase (before, during, after the flood): the
/// victims' call latency, their failed calls, and the flood's accepted and refused messages. Run with the limits off
/// (what the issue measured) and on (the shipped rate limits and quotas), in the same run.
/// </summary>
internal sealed class FloodScenario(LoadOptions options, RedisProcess redis, string logDir, Progress progress)
{
    private const string Room = "ChatRoom-flooded";
    private const string Attacker = "mallory";
    private static readonly TimeSpan VictimInterval = TimeSpan.FromMilliseconds(500);
    private static readonly string FloodText = new('x', 4000);

    /// <summary>The modes: the cluster's settings for each.</summary>
    private static readonly (string Mode, string[] Settings)[] Modes =
    [
        ("limits off", []),
        ("limits on", ["RateLimits:Enabled=true", "Quotas:ConnectionsPerUser=10"]),
    ];

    public async Task<IReadOnlyList<Result>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<Result>();
        foreach (var (mode, settings) in Modes.Where(m => options.FloodLimits.Contains(m.Mode)))
        {
            var runs = new List<List<Result>>();
            for (var run = 1; run <= options.Runs; run++)
            {
                progress.Step($"flood, {mode}, run {run}/{options.Runs}");
                runs.Add(await RunOnceAsync(mode, settings, cancellationToken));
            }
            results.AddRange(Enumerable.Range(0, runs[0].Count).Select(row => Result.Median([.. runs.Select(r => r[row])])));
        }
        return results;
    }

    private async Task<List<Result>> RunOnceAsync(string mode, string[] settings, CancellationToken cancellationToken)
    {
        await redis.ResetAsync();
        await using var cluster = await LoadCluster.StartAsync(redis, options.Instances, logDir, settings, cancellationToken, LoadCluster.NoSpinning);
        var victims = Enumerable.Range(0, options.Members).Select(i => $"v{i}").ToArray();
        var tokens = await Task.WhenAll(victims.Select(cluster.LoginAsync));
        var recorder = new RoomRecorder(options.MessagePack);
        await using var crowd = await Crowd.Crowd.ConnectAsync(cluster.Urls, victims.Length, i => tokens[i], options.MessagePack,
            _ => recorder.NewSink(), path: "/hub", cancellationToken: cancellationToken);
        // The attacker is in the room first: its connections must not keep the members out.
        var attackers = await ConnectAttackersAsync(cluster, cancellationToken);
        foreach (var victim in crowd.Clients)
        {
            await victim.CallObjectAsync(Room, "Join");
        }
        try
        {
            progress.Report($"flood, {mode}: warming up", 0);
            await ChatAsync(crowd.Clients, TimeSpan.FromSeconds(Math.Min(options.WarmupSeconds, 20)), cancellationToken);
            var results = new List<Result>();
            foreach (var phase in new[] { "before", "during", "after" })
            {
                progress.Report($"flood, {mode}: {phase} the flood", results.Count / 3.0);
                var seconds = TimeSpan.FromSeconds(options.Seconds);
                var cpuBefore = cluster.CpuMs();
                var flood = phase == "during" ? FloodAsync(attackers.Connected, seconds, cancellationToken) : Task.FromResult((0L, 0L));
                var chat = await ChatAsync(crowd.Clients, seconds, cancellationToken);
                var (accepted, refused) = await flood;
                results.Add(new Result
                {
                    Scenario = "flood",
                    Mode = $"{mode}, {phase}",
                    Instances = options.Instances,
                    Runs = 1,
                    RoomSize = victims.Length,
                    Connections = phase == "during" ? attackers.Connected.Count : null,
                    Messages = chat.Sent,
                    P50Ms = chat.Latency.P50Ms,
                    P99Ms = chat.Latency.P99Ms,
                    MaxMs = chat.Latency.MaxMs,
                    Lost = chat.Failed,
                    MembersCutOff = crowd.Clients.Count(c => c.Receiving.IsCompleted),
                    DeliveriesPerSec = chat.Sent / seconds.TotalSeconds,
                    CpuMsPer1kDeliveries = double.NaN,
                    FloodAccepted = phase == "during" ? accepted : null,
                    FloodRefused = phase == "during" ? refused + attackers.Refused : null,
                    MessagesPerSec = phase == "during" ? accepted / seconds.TotalSeconds : null,
                    IdleCpuPercent = (cluster.CpuMs() - cpuBefore) / seconds.TotalMilliseconds * 100,
                });
            }
            return results;
        }
        finally
        {
            foreach (var attacker in attackers.Connected)
            {
                await attacker.DisposeAsync();
            }
        }
    }

    /// <summary>The attacker's C connections, one at a time as a script would open them; refused ones are counted.</summary>
    private async Task<(List<MinimalHubClient> Connected, long Refused)> ConnectAttackersAsync(LoadCluster cluster, CancellationToken cancellationToken)
    {
        var token = await cluster.LoginAsync(Attacker);
        var frames = HubFrames.For(options.MessagePack);
        var connected = new List<MinimalHubClient>();
        long refused = 0;
        for (var i = 0; i < options.Attackers; i++)
        {
            try
            {
                var client = await MinimalHubClient.ConnectAsync(cluster.Urls[i % cluster.Urls.Count] + "/hub", token, frames, new IgnoringSink(), cancellationToken: cancellationToken);
                if (await client.InvokeAsync("Call", [Room, "Join", null], cancellationToken) is null)
                {
                    connected.Add(client);
                    continue;
                }
                refused++;
                await client.DisposeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Refused (429 on connect, or closed past the connection quota).
                refused++;
            }
        }
        return (connected, refused);
    }

    /// <summary>Every victim sends a message every <see cref="VictimInterval"/> and times the call.</summary>
    private static async Task<(int Sent, long Failed, LatencySummary Latency)> ChatAsync(IReadOnlyList<MinimalHubClient> victims, TimeSpan length, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<long>();
        long failed = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(victims.Select(async (victim, i) =>
        {
            // Spread over the interval, as people typing are.
            await Task.Delay(VictimInterval * i / victims.Count, cancellationToken);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var next = Stopwatch.GetTimestamp() + (long)(VictimInterval.TotalSeconds * Stopwatch.Frequency);
                var started = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await victim.InvokeAsync("Call", [Room, "SendMessage", new { text = "hello, still here" }], cancellationToken);
                }
                catch (InvalidOperationException)
                {
                    // The server cut this member off (it could not take the flood's pushes fast enough: a slow client).
                    Interlocked.Increment(ref failed);
                    return;
                }
                if (error is null)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
                }
            }
        }));
        var sorted = latencies.Order().ToArray();
        return (sorted.Length, failed, LatencySummary.Of(sorted));
    }

    /// <summary>Every attacking connection keeps <see cref="LoadOptions.InFlight"/> sends outstanding for the length.</summary>
    private async Task<(long Accepted, long Refused)> FloodAsync(IReadOnlyList<MinimalHubClient> attackers, TimeSpan length, CancellationToken cancellationToken)
    {
        long accepted = 0, refused = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(attackers.SelectMany(attacker => Enumerable.Range(0, options.InFlight).Select(async _ =>
        {
            try
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    if (await attacker.InvokeAsync("Call", [Room, "SendMessage", new { text = FloodText }], cancellationToken) is null)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // The server closed this connection.
            }
        })));
        return (accepted, refused);
    }

    private sealed class IgnoringSink : IInvocationSink
    {
        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
        }
    }
}
