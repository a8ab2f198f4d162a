using System.Text.Json;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Load;

/// <summary>
/// The benchmark tool (tests/Load) starts, measures and exits cleanly, at a size that takes seconds. It asserts what
/// was counted (deliveries lost, publishes per message), never how fast anything was.
/// </summary>
public sealed class LoadToolSmokeTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly string _out = Directory.CreateTempSubdirectory("signalrchat-load-").FullName;

    [Fact]
    public async Task Fanout_MeasuresEveryMode_WritesJsonAndCharts_AndLosesNothing()
    {
        await using var tool = Start("fanout", "--instances", "2", "--room-size", "10", "--messages", "20", "--runs", "1", "--warmup-seconds", "1", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var results = ReadResults("fanout-*.json");
        Assert.Equal(["per-instance", "fan-out-on-read", "stock-clients", "stock-groups"], results.Select(r => r.GetProperty("mode").GetString()));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("lost").GetInt64()));
        Assert.All(results, r => Assert.True(r.GetProperty("deliveriesPerSec").GetDouble() > 0));
        var publishes = results.ToDictionary(r => r.GetProperty("mode").GetString()!, r => r.GetProperty("publishesPerMessage").GetDouble());
        // Ours: at most one publish per message (one other instance holds recipients), fewer when pushes that queued
        // up share a publish. Stock: exactly one per recipient.
        Assert.InRange(publishes["per-instance"], 1.0 / 20, 1);
        Assert.InRange(publishes["fan-out-on-read"], 1.0 / 20, 1);
        Assert.Equal(10, publishes["stock-clients"]);
        Assert.Equal(2, Directory.GetFiles(_out, "fanout-*.png").Length);
        Assert.Contains("| per-instance |", tool.Transcript);
    }

    [Fact]
    public async Task Fanout_WithSystemPushesAmongTheMessages_TimesThemApart_WithAndWithoutPriorities()
    {
        await using var tool = Start("fanout", "--instances", "2", "--room-size", "10", "--messages", "20", "--system-every", "5",
            "--modes", "per-instance,per-instance-no-priorities", "--runs", "1", "--warmup-seconds", "1", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var results = ReadResults("fanout-*.json");
        Assert.Equal(["per-instance", "per-instance-no-priorities"], results.Select(r => r.GetProperty("mode").GetString()));
        // 20 messages and 4 system pushes to each of 10 members, none lost.
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("lost").GetInt64()));
        Assert.All(results, r => Assert.True(r.GetProperty("systemP99Ms").GetDouble() > 0, $"{r}"));
        Assert.Contains("| mode | messages p50 ms | p99 ms | system pushes p50 ms |", tool.Transcript);
    }

    [Fact]
    public async Task Floor_TimesARawBroadcastToEveryConnection_InEachRound()
    {
        await using var tool = Start("floor", "--connections", "200", "--runs", "3", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var result = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(_out, "floor-*.json").Single())).RootElement;
        Assert.Equal(200, result.GetProperty("Connections").GetInt32());
        // Every reader got a frame in every round, or the tool would not have finished: the latencies are real times.
        Assert.Equal(3, result.GetProperty("RoundP99Ms").GetArrayLength());
        Assert.All(result.GetProperty("RoundP99Ms").EnumerateArray(), p99 => Assert.True(p99.GetDouble() > 0));
        Assert.True(result.GetProperty("MaxMs").GetDouble() >= result.GetProperty("P50Ms").GetDouble());
        Assert.Contains("| connections | p50 ms | p99 ms |", tool.Transcript);
    }

    [Fact]
    public async Task Connections_HoldsThemAndEveryOneReceivesTheBroadcast_OnOursAndOnStock()
    {
        await using var tool = Start("connections", "--instances", "2", "--connections", "60", "--runs", "1", "--idle-seconds", "1", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var results = ReadResults("connections-*.json");
        Assert.Equal(["ours", "stock"], results.Select(r => r.GetProperty("mode").GetString()));
        foreach (var result in results)
        {
            Assert.Equal(60, result.GetProperty("connections").GetInt32());
            Assert.Equal(0, result.GetProperty("lost").GetInt64());
            Assert.True(result.GetProperty("memoryBytesPerConnection").GetDouble() > 0);
        }
    }

    [Fact]
    public async Task Presence_TimesEveryFollowersChange_AndNearby_AndLosesNothing()
    {
        await using var tool = Start("presence", "--players", "30", "--follows", "3", "--rates", "20,40", "--seconds", "1",
            "--queries", "20", "--query-rate", "20", "--runs", "1", "--warmup-seconds", "1", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var results = ReadResults("presence-*.json");
        Assert.Equal(["20/s", "40/s", "nearby"], results.Select(r => r.GetProperty("mode").GetString()));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("lost").GetInt64()));
        Assert.All(results.Take(2), r => Assert.True(r.GetProperty("p99Ms").GetDouble() > 0));
        Assert.All(results.Take(2), r => Assert.Equal(JsonValueKind.Number, r.GetProperty("superseded").ValueKind));
        Assert.Equal(30, results[2].GetProperty("zonePlayers").GetInt32());
        Assert.Single(Directory.GetFiles(_out, "presence-*.png"));
    }

    [Fact]
    public async Task Room_MeasuresTheRateFromEachHistoryLength_AndEveryMemberGetsEveryMessage()
    {
        await using var tool = Start("room", "--members", "4", "--senders", "2", "--in-flight", "2", "--histories", "3,20", "--seconds", "1",
            "--runs", "1", "--warmup-seconds", "1", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var results = ReadResults("room-*.json");
        Assert.Equal([3, 20], results.Select(r => r.GetProperty("historyLength").GetInt32()));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("lost").GetInt64()));
        Assert.All(results, r => Assert.True(r.GetProperty("messages").GetInt32() > 0));
        Assert.All(results, r => Assert.True(r.GetProperty("redisBytesPerMessage").GetDouble() > 0));
    }

    [Fact]
    public async Task Game_ReportsEveryClassAtEachRate_WithItsKinds_AndLosesNothing()
    {
        // A mix heavy in presence and direct messages, so that 20 actions surely hold some of each.
        await using var tool = Start("game", "--players", "40", "--follows", "5", "--guild-size", "10", "--world-size", "20", "--zone-size", "10",
            "--mix", "guild=2,party=2,world=1,direct=2,status=2,move=1,zone=1", "--rates", "20,40", "--seconds", "1", "--announce-every", "0.5",
            "--system-rate", "5", "--runs", "1", "--warmup-seconds", "1", "--out", _out);

        await tool.WaitForExitAsync(RunTimeout);

        Assert.True(tool.ExitCode == 0, tool.Transcript);
        var results = ReadResults("game-*.json");
        var classes = results.Where(r => !r.TryGetProperty("kind", out _)).ToList();
        Assert.Equal(["20/s system", "20/s chat", "20/s presence", "20/s all", "40/s system", "40/s chat", "40/s presence", "40/s all"],
            classes.Select(r => $"{r.GetProperty("mode").GetString()} {r.GetProperty("class").GetString()}"));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("lost").GetInt64()));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("failed").GetInt64()));
        Assert.All(classes, r => Assert.True(r.GetProperty("deliveriesPerSec").GetDouble() > 0, $"{r}"));
        Assert.All(classes, r => Assert.True(r.GetProperty("p99Ms").GetDouble() > 0, $"{r}"));
        // Every kind is reported at every rate; announcements reach all 40 players, twice a step.
        Assert.Equal(2 * 10, results.Count(r => r.TryGetProperty("kind", out _)));
        Assert.All(results.Where(r => r.TryGetProperty("kind", out var kind) && kind.GetString() is "announcement" or "guild message"),
            r => Assert.True(r.GetProperty("deliveriesPerSec").GetDouble() > 0, $"{r}"));
        Assert.All(classes.Where(r => r.GetProperty("class").GetString() == "all"), r => Assert.True(r.GetProperty("machinesFor1MPerSec").GetDouble() > 0));
        Assert.Equal(4, Directory.GetFiles(_out, "game-*.svg").Length);
        Assert.Contains("| **all** |", tool.Transcript);
    }

    [Theory]
    [InlineData(new[] { "--help" }, 0, "usage: dotnet run -c Release --project tests/Load")]
    [InlineData(new[] { "fanot" }, 2, "Unknown scenario 'fanot'. Scenarios: fanout, connections, presence, room, flood, game, chaos, floor.")]
    [InlineData(new[] { "game", "--mix", "guild=25,dance=3" }, 2, "--mix holds 'dance=3'; each entry is action=weight, the actions guild, party, world, direct, status, move, zone.")]
    [InlineData(new[] { "game", "--priorities", "maybe" }, 2, "--priorities must be on or off; it was 'maybe'.")]
    [InlineData(new[] { "game", "--players", "40", "--follows", "40" }, 2, "--follows must be below the players of a shard (40); it was 40.")]
    [InlineData(new[] { "presence", "--rates", "10,x" }, 2, "--rates holds 'x'; each must be a whole number from 1 to 100000.")]
    [InlineData(new[] { "room", "--members", "4", "--senders", "5" }, 2, "--senders must be at most --members (4); it was 5.")]
    [InlineData(new[] { "fanout", "--modes", "stock" }, 2, "Unknown mode 'stock'. Modes: per-instance, fan-out-on-read, per-instance-no-priorities, per-instance-small-socket-buffers, stock-clients, stock-groups.")]
    [InlineData(new[] { "connections", "--connections", "100000", "--instances", "2" }, 2, "use --instances 7 or more")]
    [InlineData(new[] { "connections", "--mode", "mine" }, 2, "--mode must be ours, stock or both; it was 'mine'.")]
    public async Task BadOrHelpArguments_AreAnsweredWithoutStartingAnything(string[] args, int exitCode, string text)
    {
        await using var tool = Start(args);

        await tool.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(exitCode, tool.ExitCode);
        Assert.Contains(text, tool.Transcript);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static ScriptedProcess Start(params string[] args) =>
        ScriptedProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "SignalRChat.Load.dll"), .. args]);

    private List<JsonElement> ReadResults(string pattern) =>
        [.. JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_out, pattern)))).RootElement.EnumerateArray()];
}
