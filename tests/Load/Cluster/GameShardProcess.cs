using System.Diagnostics;
using System.Text.Json;
using SignalRChat.Load.Crowd;

namespace SignalRChat.Load.Cluster;

/// <summary>A <see cref="GameShard"/> child process, driven through its standard input and output; its errors go to
/// the tool's standard error.</summary>
internal sealed class GameShardProcess : IAsyncDisposable
{
    /// <summary>The longest a shard's setup may take: 20,000 players' logins, connects, follows and groups took minutes.</summary>
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How much longer than the step's own length a shard may take to make its calls (each call ends within 30 s).</summary>
    private static readonly TimeSpan StepMargin = TimeSpan.FromMinutes(2);

    /// <summary>The longest a shard may wait for what is owed (it stops after 5 s without a delivery, at most after 5 minutes).</summary>
    private static readonly TimeSpan SummaryTimeout = TimeSpan.FromMinutes(6);

    private readonly Process _process;

    private GameShardProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Starts a shard and hands it its config (on standard input: it holds the operator's token).</summary>
    public static async Task<GameShardProcess> StartAsync(GameShardConfig config)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(GameShardProcess).Assembly.Location, GameShard.Command },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        var shard = new GameShardProcess(Process.Start(start)!);
        await shard.WriteAsync(JsonSerializer.Serialize(config, GameShardJson.Options), CancellationToken.None);
        return shard;
    }

    /// <summary>Waits until the shard's players are connected and in their groups, reporting its progress (0 to 1).</summary>
    public async Task WaitReadyAsync(Action<GameProgress> progress, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (await ReadLineAsync(cancellationToken).WaitAsync(SetupTimeout - deadline.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero, cancellationToken) is var line && line != "ready")
        {
            if (line.StartsWith("progress ", StringComparison.Ordinal))
            {
                progress(GameShardJson.Read<GameProgress>(line));
            }
        }
    }

    /// <summary>Runs a step; returns once the shard has made every call of it.</summary>
    public async Task<GameShardSent> StepAsync(GameStep step, CancellationToken cancellationToken)
    {
        await WriteAsync(GameShardJson.Line("step", step), cancellationToken);
        var line = await ExpectLineAsync("sent ", cancellationToken).WaitAsync(TimeSpan.FromSeconds(step.Seconds) + StepMargin, cancellationToken);
        return GameShardJson.Read<GameShardSent>(line);
    }

    /// <summary>Tells the shard the announcements made; returns once everything owed has arrived, or stopped arriving.</summary>
    public async Task<GameShardSummary> SummaryAsync(GameExpect expect, CancellationToken cancellationToken)
    {
        await WriteAsync(GameShardJson.Line("expect", expect), cancellationToken);
        return GameShardJson.Read<GameShardSummary>(await ExpectLineAsync("summary ", cancellationToken).WaitAsync(SummaryTimeout, cancellationToken));
    }

    // The shard exits at the end of its input.
    public async ValueTask DisposeAsync() => await ChildProcessStop.StopAsync(_process, p => p.StandardInput.Close(), TimeSpan.FromSeconds(30));

    private async Task WriteAsync(string line, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
    }

    private async Task<string> ExpectLineAsync(string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken) =>
        await _process.StandardOutput.ReadLineAsync(cancellationToken)
        ?? throw new InvalidOperationException($"A game shard exited ({(_process.WaitForExit(5_000) ? _process.ExitCode.ToString() : "still running")}); its error is above.");
}
