using System.Diagnostics;
using System.Text.Json;
using SignalRChat.Load.Crowd;

namespace SignalRChat.Load.Cluster;

/// <summary>A <see cref="GameShard"/> child process, driven through its standard input and output; its errors go to
/// the tool's standard error.</summary>
internal sealed class GameShardProcess : IAsyncDisposable
{
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
        while (await ReadLineAsync(cancellationToken) is var line && line != "ready")
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
        return GameShardJson.Read<GameShardSent>(await ExpectLineAsync("sent ", cancellationToken));
    }

    /// <summary>Tells the shard the announcements made; returns once everything owed has arrived, or stopped arriving.</summary>
    public async Task<GameShardSummary> SummaryAsync(GameExpect expect, CancellationToken cancellationToken)
    {
        await WriteAsync(GameShardJson.Line("expect", expect), cancellationToken);
        return GameShardJson.Read<GameShardSummary>(await ExpectLineAsync("summary ", cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // the shard exits at the end of its input
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

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
