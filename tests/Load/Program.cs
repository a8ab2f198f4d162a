using SignalRChat.Load;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Crowd;
using SignalRChat.Load.Report;
using SignalRChat.Load.Scenarios;
using SignalRChat.Load.Server;

switch (args.FirstOrDefault())
{
    case BenchServer.Command: return await BenchServer.RunAsync(args[1..]);
    case CrowdWorker.Command: return await CrowdWorker.RunAsync(args[1..]);
    case GameShard.Command: return await GameShard.RunAsync();
    case RawBroadcast.ServeCommand: return await RawBroadcast.ServeAsync(args[1..]);
    case RawBroadcast.ReadCommand: return await RawBroadcast.ReadAsync(args[1..]);
}
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop measuring; the finally blocks below stop every process this tool started.
    e.Cancel = true;
    stop.Cancel();
};

var outDir = Path.GetFullPath(options.OutDir ?? Paths.Results);
var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss");
var logDir = Directory.CreateDirectory(Path.Combine(outDir, "logs", stamp)).FullName;
if (options.Scenario == "connections" && ConnectionsScenario.Problem(options, OpenFilesLimit.Raise(ConnectionsScenario.PerProcess + 5_000)) is { } problem)
{
    Console.Error.WriteLine(problem);
    return 2;
}

if (options.Scenario == "presence" && OpenFilesLimit.Raise((ulong)options.Players + 2_000) is var limit && limit < (ulong)options.Players + 2_000)
{
    Console.Error.WriteLine($"presence holds {options.Players} connections in this process; its open-files limit is {limit}. Use fewer --players.");
    return 2;
}

if (options.Scenario == "chaos")
{
    var chaos = await new SignalRChat.Load.Chaos.ChaosRun(options.Quick ? SignalRChat.Load.Chaos.ChaosSettings.Quick : SignalRChat.Load.Chaos.ChaosSettings.Full,
        logDir, line => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}")).RunAsync(stop.Token);
    Console.WriteLine("| fault | sent | acknowledged | not acknowledged | lost | duplicated | longest wait s (via live instances) | recovery s | missing at clients | gaps told | reconnects | reconnect s median (longest) |");
    Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    foreach (var r in chaos)
    {
        Console.WriteLine($"| {r.Fault} | {r.Sent} | {r.Acknowledged} | {r.NotAcknowledged} | {r.Lost} | {r.Duplicated} | {r.LongestWaitSeconds} ({r.LongestWaitViaLiveInstanceSeconds}) | {r.RecoverySeconds} | {r.MissingAtClients} | {r.GapsTold} | {r.Reconnects} | {r.MedianReconnectSeconds} ({r.LongestReconnectSeconds}) |");
    }
    var path = Path.Combine(outDir, $"chaos-{stamp}.json");
    await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(chaos, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results: {path}");
    return chaos.Any(r => r.Lost > 0 || r.Duplicated > 0 || r.MissingAtClients > 0) ? 3 : 0;
}

if (options.Scenario == "floor")
{
    var floor = await new FloorScenario(options, logDir).RunAsync(stop.Token);
    Console.WriteLine($"{floor.Connections:N0} loopback TCP connections over {floor.Processes} server and {floor.Processes} reader processes; a {floor.FrameBytes}-byte frame to all, {floor.Rounds} rounds; medians over the rounds");
    Console.WriteLine();
    Console.WriteLine("| connections | p50 ms | p99 ms | max ms | one process's loop of sends ms |");
    Console.WriteLine("|--:|--:|--:|--:|--:|");
    Console.WriteLine(FormattableString.Invariant($"| {floor.Connections:N0} | {floor.P50Ms:F1} | {floor.P99Ms:F1} | {floor.MaxMs:F1} | {floor.SendLoopMs:F1} |"));
    var floorPath = Path.Combine(outDir, $"floor-{stamp}.json");
    await File.WriteAllTextAsync(floorPath, System.Text.Json.JsonSerializer.Serialize(floor, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results: {floorPath}");
    return 0;
}

var steps = options.Runs * options.Scenario switch { "fanout" => options.Modes.Count, "presence" or "room" or "game" => 1, "flood" => options.FloodLimits.Count, _ => options.ConnectionModes.Count };
var progress = new Progress(steps);
try
{
    await using var redis = await RedisProcess.StartAsync();
    var results = options.Scenario switch
    {
        "fanout" => await new FanoutScenario(options, redis, logDir, progress).RunAsync(stop.Token),
        "presence" => await new PresenceScenario(options, redis, logDir, progress).RunAsync(stop.Token),
        "room" => await new RoomScenario(options, redis, logDir, progress).RunAsync(stop.Token),
        "flood" => await new FloodScenario(options, redis, logDir, progress).RunAsync(stop.Token),
        "game" => await new GameScenario(options, redis, logDir, progress).RunAsync(stop.Token),
        _ => await new ConnectionsScenario(options, redis, logDir, progress).RunAsync(stop.Token),
    };
    progress.Done();

    Console.WriteLine(ResultWriter.Markdown(results));
    var json = ResultWriter.WriteJson(results, Path.Combine(outDir, $"{options.Scenario}-{stamp}.json"));
    Console.WriteLine($"results: {json}");
    if (options.Charts)
    {
        foreach (var chart in Charts.Write(results, outDir, $"{options.Scenario}-{stamp}"))
        {
            Console.WriteLine($"chart:   {chart}");
        }
    }
    // In the flood scenario without limits, members' calls failing is what the run shows, not a fault of the tool.
    return results.Any(r => r.Lost > 0 && !(r.Scenario == "flood" && r.Mode.StartsWith("limits off", StringComparison.Ordinal))) ? 3 : 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    progress.Done();
    Console.Error.WriteLine("Stopped; every process the tool started has been stopped.");
    return 130;
}
