using System.Diagnostics;
using System.Globalization;
using SignalRChat.Load.Crowd;

namespace SignalRChat.Load.Cluster;

/// <summary>A <see cref="CrowdWorker"/> child process, driven through its standard input and output.</summary>
internal sealed class CrowdProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CrowdProcess(Process process) => _process = process;

    /// <summary>Clients connected so far.</summary>
    public int Connected { get; private set; }

    /// <summary>Connects made again after a failure (a busy instance timing the handshake out).</summary>
    public int Retries { get; private set; }

    public static CrowdProcess Start(IReadOnlyList<string> hubs, int count, int first, string token, bool messagePack, int parallel)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(CrowdProcess).Assembly.Location, CrowdWorker.Command, string.Join(',', hubs),
                count.ToString(CultureInfo.InvariantCulture), first.ToString(CultureInfo.InvariantCulture), token,
                messagePack ? "messagepack" : "json", parallel.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        return new CrowdProcess(Process.Start(start)!);
    }

    /// <summary>Waits until every client of this worker is connected.</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("connected ", StringComparison.Ordinal))
            {
                Connected = int.Parse(line[10..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                Retries = int.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);
                return;
            }
        }
        await _process.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"A crowd worker exited ({_process.ExitCode}) before all its clients connected; its error is above.");
    }

    /// <summary>Waits for one broadcast per client; returns what arrived and every latency, in <see cref="Stopwatch"/> ticks.</summary>
    public async Task<(int Received, long Lost, long[] Ticks)> WaitForBroadcastAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(FormattableString.Invariant($"wait {quiet.TotalSeconds}"));
        await _process.StandardInput.FlushAsync(cancellationToken);
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken)
            ?? throw new InvalidOperationException("A crowd worker exited before reporting the broadcast.");
        var parts = line.Split(' ');
        var ticks = parts.Length > 3 && parts[3].Length > 0 ? parts[3].Split(',').Select(long.Parse).ToArray() : [];
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), ticks);
    }

    // The worker exits at the end of its input.
    public async ValueTask DisposeAsync() => await ChildProcessStop.StopAsync(_process, p => p.StandardInput.Close(), TimeSpan.FromSeconds(30));
}
