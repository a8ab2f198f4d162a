using System.Collections.Concurrent;
using System.Diagnostics;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Load.Chaos;

/// <summary>How long and how hard a chaos run is.</summary>
internal sealed record ChaosSettings(int Members, int Senders, TimeSpan SendInterval, TimeSpan Steady, TimeSpan Pause, TimeSpan WritePause,
    TimeSpan Settle, IReadOnlyList<string> Faults)
{
    /// <summary>Every fault, in the order they run.</summary>
    public static readonly IReadOnlyList<string> AllFaults = ["sigkill", "sigterm", "sigstop", "redis-restart", "write-pause", "rolling-restart"];

    /// <summary>The suite's version: a few minutes, the issue's shape at a smaller scale (pauses below Orleans' death declaration).</summary>
    public static ChaosSettings Quick => new(Members: 12, Senders: 3, SendInterval: TimeSpan.FromMilliseconds(50), Steady: TimeSpan.FromSeconds(3),
        Pause: TimeSpan.FromSeconds(6), WritePause: TimeSpan.FromSeconds(3), Settle: TimeSpan.FromSeconds(6), AllFaults);

    /// <summary>The issue's run: 30 members, 3 senders every 50 ms, 20 s pauses, 10 s write pause.</summary>
    public static ChaosSettings Full => new(Members: 30, Senders: 3, SendInterval: TimeSpan.FromMilliseconds(50), Steady: TimeSpan.FromSeconds(10),
        Pause: TimeSpan.FromSeconds(20), WritePause: TimeSpan.FromSeconds(10), Settle: TimeSpan.FromSeconds(15), AllFaults);
}

/// <summary>What one fault did: sends and their fate, the longest call, and the recovery time: the longest any sender went
/// without an acknowledged send from the moment the fault began (in steady traffic, about the send interval); how many
/// times members lost their connection, and the longest and median time until they were back in the room.</summary>
internal sealed record FaultResult(string Fault, int Sent, int Acknowledged, int NotAcknowledged, int Lost, int Duplicated,
    double LongestWaitSeconds, double LongestWaitViaLiveInstanceSeconds, double RecoverySeconds, int MissingAtClients, long GapsTold,
    int Reconnects, double MedianReconnectSeconds, double LongestReconnectSeconds);

/// <summary>
/// The chaos run: Redis and three real hub processes on loopback, one room, members on the official client following
/// the README's advice (<see cref="ChaosMember"/>), senders under steady traffic, and one fault after another against
/// the instance hosting the room (SIGKILL, SIGTERM, SIGSTOP), Redis (restart, write pause), or every instance in turn
/// (a rolling restart: SIGTERM, which drains, then a new instance before the next). Faulted instances that end are
/// replaced by new ones. The suite runs the quick settings; <c>tests/Load -- chaos</c> the full ones.
/// </summary>
internal sealed class ChaosRun(ChaosSettings settings, string logDir, Action<string> log)
{
    public const string Room = "ChatRoom-chaos";
    private const int Instances = 3;
    private static readonly string[] ServerSettings =
    [
        // Everything the run sends stays: a message missing at the end was lost, not retired.
        "History:ChatRoom:MaxMessages=1000000",
        "Cluster:ShutdownTimeout=00:00:15",
        // A stopping instance moves its clients over 2 s, as Cluster:DrainTime does over 10 s by default.
        "Cluster:DrainTime=00:00:02",
        "Logging:LogLevel:SignalRChat=Warning",
    ];

    private readonly List<ServerProcess> _servers = [];
    private readonly Dictionary<ServerProcess, string> _silos = [];
    private readonly ConcurrentBag<SentMessage> _sent = [];
    private readonly ConcurrentBag<(int Phase, CallTiming Timing)> _calls = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private volatile int _phase;

    public async Task<IReadOnlyList<FaultResult>> RunAsync(CancellationToken cancellationToken)
    {
        await using var redis = await RedisProcess.StartAsync();
        try
        {
            for (var i = 0; i < Instances; i++)
            {
                _servers.Add(await StartServerAsync(redis, cancellationToken));
            }
            var members = Enumerable.Range(0, settings.Members)
                .Select(i => new ChaosMember($"chaos-{i}", Urls, i % Instances, Room, messagePack: i % 2 == 1)).ToList();
            try
            {
                await Task.WhenAll(members.Select(m => m.Connected)).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                using var sending = new CancellationTokenSource();
                var senders = members.Take(settings.Senders).Select((m, i) => SendLoopAsync(m, i, sending.Token)).ToList();
                var faults = new List<(string Fault, ServerProcess? Target, long Started, long Ended)>();
                foreach (var fault in settings.Faults)
                {
                    await Task.Delay(settings.Steady, cancellationToken);
                    var target = fault.StartsWith("sig", StringComparison.Ordinal) ? await HostOfRoomAsync() : null;
                    var started = Stopwatch.GetTimestamp();
                    log($"{fault}{(target is null ? "" : $" of {target.Url}")}");
                    await InjectAsync(fault, target, redis, cancellationToken);
                    await Task.Delay(settings.Settle, cancellationToken);
                    faults.Add((fault, target, started, Stopwatch.GetTimestamp()));
                    _phase++;
                }
                await sending.CancelAsync();
                await Task.WhenAll(senders);
                await Task.WhenAll(members.Select(m => m.Connected)).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                await Task.WhenAll(members.Select(m => m.CatchUpAsync()));
                var history = await ReadHistoryAsync(cancellationToken);
                return [.. faults.Select((f, i) => Measure(i, f.Fault, f.Target?.Url, f.Started, f.Ended, history, members))];
            }
            finally
            {
                foreach (var member in members)
                {
                    await member.DisposeAsync();
                }
            }
        }
        finally
        {
            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }
            _http.Dispose();
        }
    }

    private IReadOnlyList<string> Urls() => [.. _servers.Select(s => s.Url)];

    private async Task<ServerProcess> StartServerAsync(RedisProcess redis, CancellationToken cancellationToken)
    {
        var server = await ServerProcess.StartAsync(redis.ConnectionString, logDir, ServerSettings, LoadCluster.NoSpinning, cancellationToken);
        _silos[server] = await _http.GetStringAsync($"{server.Url}/bench/silo", cancellationToken);
        return server;
    }

    /// <summary>Sends every <see cref="ChaosSettings.SendInterval"/>, one send at a time, as a chat client does.</summary>
    private async Task SendLoopAsync(ChaosMember sender, int index, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var phase = _phase;
            var text = $"{sender.User}#{n}";
            var started = Stopwatch.GetTimestamp();
            var outcome = await sender.SendAsync(text, timing => _calls.Add((phase, timing)));
            _sent.Add(new SentMessage(phase, index, text, started, Stopwatch.GetTimestamp(), outcome));
            await Task.Delay(settings.SendInterval, CancellationToken.None);
        }
    }

    /// <summary>The process whose silo holds the room's activation (asked of a live instance).</summary>
    private async Task<ServerProcess> HostOfRoomAsync()
    {
        foreach (var server in _servers.Where(s => !s.HasExited))
        {
            var silo = await _http.GetStringAsync($"{server.Url}/bench/host?objectId={Room}");
            if (_silos.FirstOrDefault(s => s.Value == silo).Key is { } host && _servers.Contains(host))
            {
                return host;
            }
        }
        throw new InvalidOperationException($"No instance says where {Room} is active.");
    }

    private async Task InjectAsync(string fault, ServerProcess? target, RedisProcess redis, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case "sigkill" or "sigterm":
                target!.Signal(fault == "sigkill" ? "KILL" : "TERM");
                await target.WaitForExitAsync(TimeSpan.FromSeconds(30));
                await ReplaceAsync(target, redis, cancellationToken);
                break;
            case "sigstop":
                target!.Signal("STOP");
                await Task.Delay(settings.Pause, cancellationToken);
                target.Signal("CONT");
                // A pause longer than Orleans' failure detection gets the silo declared dead: it stops itself.
                try
                {
                    await target.WaitForExitAsync(TimeSpan.FromSeconds(5));
                    await ReplaceAsync(target, redis, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Still running: it came back.
                }
                break;
            case "redis-restart":
                await redis.RestartAsync();
                break;
            case "write-pause":
                await redis.PauseWritesAsync(settings.WritePause);
                await Task.Delay(settings.WritePause, cancellationToken);
                break;
            case "rolling-restart":
                foreach (var server in _servers.ToList())
                {
                    log($"  SIGTERM of {server.Url}");
                    server.Signal("TERM");
                    await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    await ReplaceAsync(server, redis, cancellationToken);
                }
                break;
            default:
                throw new ArgumentException($"Unknown fault '{fault}'.", nameof(fault));
        }
    }

    private async Task ReplaceAsync(ServerProcess gone, RedisProcess redis, CancellationToken cancellationToken)
    {
        var index = _servers.IndexOf(gone);
        _servers[index] = await StartServerAsync(redis, cancellationToken);
        await gone.DisposeAsync();
    }

    /// <summary>Every message the room stored, by seq, read with a fresh member at the end.</summary>
    private async Task<IReadOnlyDictionary<long, string>> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        await using var auditor = new ChaosMember("chaos-auditor", Urls, 0, Room, messagePack: false);
        await auditor.Connected.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return auditor.Seen.ToDictionary();
    }

    private FaultResult Measure(int phase, string fault, string? targetUrl, long started, long ended, IReadOnlyDictionary<long, string> history,
        IReadOnlyList<ChaosMember> members)
    {
        var sent = _sent.Where(s => s.Phase == phase).ToList();
        var stored = history.Values.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var calls = _calls.Where(c => c.Phase == phase).Select(c => c.Timing).ToList();
        var outage = Enumerable.Range(0, settings.Senders).Select(sender =>
        {
            List<long> acknowledged = [started, .. sent.Where(s => s.Sender == sender && s.Outcome.Seq is not null && s.Ended >= started).Select(s => s.Ended).Order()];
            return acknowledged.Zip(acknowledged.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b)).DefaultIfEmpty(Stopwatch.GetElapsedTime(started, ended)).Max();
        }).Max();
        var reconnects = members.SelectMany(m => m.Outages).Where(o => o.Lost >= started && o.Lost <= ended)
            .Select(o => Stopwatch.GetElapsedTime(o.Lost, o.Back).TotalSeconds).Order().ToList();
        var historySeqs = history.Keys.ToHashSet();
        // Retention keeps everything in these runs: a member told of a gap would be one that skipped messages.
        var missing = members.Sum(m => historySeqs.Count(seq => !m.Seen.ContainsKey(seq)));
        return new FaultResult(
            fault,
            Sent: sent.Count,
            Acknowledged: sent.Count(s => s.Outcome.Seq is not null),
            NotAcknowledged: sent.Count(s => s.Outcome.Seq is null),
            Lost: sent.Count(s => s.Outcome.Seq is not null && !stored.ContainsKey(s.Text)),
            Duplicated: sent.Sum(s => Math.Max(0, stored.GetValueOrDefault(s.Text) - 1)),
            LongestWaitSeconds: Seconds(calls.Select(c => c.Took).DefaultIfEmpty().Max()),
            LongestWaitViaLiveInstanceSeconds: Seconds(calls.Where(c => c.Url != targetUrl).Select(c => c.Took).DefaultIfEmpty().Max()),
            RecoverySeconds: Seconds(outage),
            // Counted for the last fault only: every member's view is checked once, at the end.
            MissingAtClients: phase == settings.Faults.Count - 1 ? missing : 0,
            GapsTold: phase == settings.Faults.Count - 1 ? members.Sum(m => m.GapsTold) : 0,
            Reconnects: reconnects.Count,
            MedianReconnectSeconds: reconnects.Count == 0 ? 0 : Math.Round(reconnects[reconnects.Count / 2], 2),
            LongestReconnectSeconds: reconnects.Count == 0 ? 0 : Math.Round(reconnects[^1], 2));
    }

    private static double Seconds(TimeSpan time) => Math.Round(time.TotalSeconds, 2);

    private sealed record SentMessage(int Phase, int Sender, string Text, long Started, long Ended, SendOutcome Outcome);
}
