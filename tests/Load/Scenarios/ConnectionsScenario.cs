using System.Diagnostics;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;
using SignalRChat.Load.Server;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// Opens C WebSocket connections over K instances, measures what holding them costs, then broadcasts one message
/// (<c>Clients.All</c>) and confirms every connection received it; with our backplane and with SignalR's own Redis
/// backplane, one after another on the same machine and Redis. The crowd is split over worker processes of
/// at most <see cref="PerProcess"/> connections each, as every process here may hold only 20,000 open files.
/// </summary>
internal sealed class ConnectionsScenario(LoadOptions options, RedisProcess redis, string logDir, Progress progress)
{
    /// <summary>Connections one process (a crowd worker, or a hub instance) is asked to hold.</summary>
    public const int PerProcess = 15_000;

    private const int ConnectsUnderWay = 64;

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The GC setting the README recommends for instances that hold many idle connections, for both backplanes:
    /// workstation (concurrent) GC kept about 5 KiB less per connection than server GC here, and connected faster.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> InstanceEnvironment = new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" };

    /// <summary>Why the options cannot work on this machine, or null.</summary>
    public static string? Problem(LoadOptions options, ulong openFilesLimit) =>
        (double)options.Connections / options.Instances > Math.Min(PerProcess, openFilesLimit - 1_000)
            ? $"{options.Connections} connections over {options.Instances} instances is more than {Math.Min(PerProcess, openFilesLimit - 1_000)} per instance (open-files limit {openFilesLimit}); use --instances {(options.Connections + PerProcess - 1) / PerProcess} or more."
            : null;

    public async Task<IReadOnlyList<Result>> RunAsync(CancellationToken cancellationToken)
    {
        var runs = options.ConnectionModes.ToDictionary(mode => mode, _ => new List<Result>());
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var mode in options.ConnectionModes)
            {
                progress.Step($"connections {mode}, run {run}/{options.Runs}");
                runs[mode].Add(await RunOnceAsync(mode, cancellationToken));
            }
        }
        return [.. options.ConnectionModes.Select(mode => Result.Median(runs[mode]))];
    }

    private async Task<Result> RunOnceAsync(string mode, CancellationToken cancellationToken)
    {
        await redis.ResetAsync();
        await using var cluster = await LoadCluster.StartAsync(redis, options.Instances, logDir,
            [mode == "stock" ? "Bench:Stock=true" : "Push:Strategy=PerInstance"], cancellationToken, InstanceEnvironment);
        var token = await cluster.LoginAsync("load");
        var memoryBefore = cluster.RssBytes();
        var heapBefore = await cluster.HeapBytesAsync(cancellationToken);

        var workers = new List<CrowdProcess>();
        try
        {
            var redisCpuBefore = ProcessStats.CpuMs(redis.Pid);
            var redisCommandsBefore = await redis.CommandCountAsync();
            var started = Stopwatch.GetTimestamp();
            var workerCount = (options.Connections + PerProcess - 1) / PerProcess;
            for (var first = 0; first < options.Connections; first += PerProcess)
            {
                // 64 connects under way in all: more only makes handshakes time out on two cores.
                workers.Add(CrowdProcess.Start(cluster.Urls, Math.Min(PerProcess, options.Connections - first), first, token, options.MessagePack,
                    Math.Max(4, ConnectsUnderWay / workerCount)));
            }
            using (var reporting = new Timer(_ => progress.Report("connections: connecting", 0.6 * workers.Sum(w => w.Connected) / options.Connections),
                null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500)))
            {
                await Task.WhenAll(workers.Select(w => w.WaitReadyAsync(cancellationToken)));
            }
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var redisCpuPer1kConnects = (ProcessStats.CpuMs(redis.Pid) - redisCpuBefore) * 1000 / options.Connections;
            // Less the two look-ups of the count itself; heartbeats of the instance directory fall in the window too.
            var redisCommandsPerConnect = (double)(await redis.CommandCountAsync() - redisCommandsBefore - 2) / options.Connections;
            var memory = cluster.RssBytes() - memoryBefore;

            // Fixed windows of time to measure idle cost over (nothing else is awaited): first let the work the
            // connects left behind (collections, tiered JIT) finish, then measure.
            progress.Report("connections: measuring idle CPU", 0.7);
            var window = TimeSpan.FromSeconds(options.IdleSeconds);
            await Task.Delay(window, cancellationToken);
            var cpuBefore = cluster.CpuMs();
            await Task.Delay(window, cancellationToken);
            var idleCpuPercent = (cluster.CpuMs() - cpuBefore) / window.TotalMilliseconds * 100;
            var heap = await cluster.HeapBytesAsync(cancellationToken) - heapBefore;

            progress.Report("connections: broadcasting", 0.85);
            await cluster.PostAsync<SendResult>(0, "/bench/broadcast", null, cancellationToken);
            var reports = await Task.WhenAll(workers.Select(w => w.WaitForBroadcastAsync(Quiet, cancellationToken)));
            var ticks = reports.SelectMany(r => r.Ticks).Order().ToArray();
            var latency = LatencySummary.Of(ticks);
            return new Result
            {
                Scenario = "connections",
                Mode = mode,
                Instances = options.Instances,
                Runs = 1,
                Connections = options.Connections,
                ConnectsPerSec = options.Connections / connectSeconds,
                ConnectRetries = workers.Sum(w => w.Retries),
                MemoryBytesPerConnection = (double)memory / options.Connections,
                HeapBytesPerConnection = (double)heap / options.Connections,
                RedisCpuMsPer1kConnects = redisCpuPer1kConnects,
                RedisCommandsPerConnect = redisCommandsPerConnect,
                IdleCpuPercent = idleCpuPercent,
                DeliveriesPerSec = double.NaN,
                P50Ms = latency.P50Ms,
                P99Ms = latency.P99Ms,
                MaxMs = latency.MaxMs,
                Lost = reports.Sum(r => r.Lost),
                CpuMsPer1kDeliveries = double.NaN,
            };
        }
        finally
        {
            await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        }
    }
}
