using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Report;
using SignalRChat.Load.Server;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// What a broadcast costs on this machine before any of ours: K plain TCP server processes each write a 64-byte frame
/// to their share of C loopback connections, at the same moment, in a loop of synchronous sends; K reader processes
/// hold the connections and time each frame from the moment it was written. Rounds a second apart; per round, the
/// latency percentiles over all C; reported as medians over the rounds. The floor under the game scenario's
/// announcements (20,000 connections over 2 instances).
/// </summary>
internal sealed class FloorScenario(LoadOptions options, string logDir)
{
    private static readonly TimeSpan RoundInterval = TimeSpan.FromSeconds(1);

    public async Task<FloorResult> RunAsync(CancellationToken cancellationToken)
    {
        var perProcess = options.Connections / options.Instances;
        var servers = new List<Process>();
        var readers = new List<Process>();
        try
        {
            for (var i = 0; i < options.Instances; i++)
            {
                servers.Add(Start(RawBroadcast.ServeCommand, perProcess.ToString(CultureInfo.InvariantCulture)));
            }
            var files = new List<string>();
            foreach (var server in servers)
            {
                var port = (await ExpectAsync(server, "port ", cancellationToken))[5..];
                var file = Path.Combine(logDir, $"floor-{port}.bin");
                files.Add(file);
                readers.Add(Start(RawBroadcast.ReadCommand, port, perProcess.ToString(CultureInfo.InvariantCulture),
                    options.Runs.ToString(CultureInfo.InvariantCulture), file));
            }
            foreach (var (server, reader) in servers.Zip(readers))
            {
                await ExpectAsync(reader, "connected", cancellationToken);
                await ExpectAsync(server, "accepted", cancellationToken);
            }

            // Every server writes each round at the same moment of the clock all processes share.
            var first = RawBroadcast.NowMs() + (long)RoundInterval.TotalMilliseconds;
            foreach (var server in servers)
            {
                for (var round = 0; round < options.Runs; round++)
                {
                    await server.StandardInput.WriteLineAsync(FormattableString.Invariant($"send {first + round * (long)RoundInterval.TotalMilliseconds}"));
                }
                await server.StandardInput.FlushAsync(cancellationToken);
            }
            var loops = new List<double>();
            foreach (var server in servers)
            {
                for (var round = 0; round < options.Runs; round++)
                {
                    loops.Add(double.Parse((await ExpectAsync(server, "sent ", cancellationToken))[5..], CultureInfo.InvariantCulture));
                }
            }
            foreach (var reader in readers)
            {
                await ExpectAsync(reader, "done", cancellationToken);
            }
            return Summarize(files, perProcess, loops);
        }
        finally
        {
            // Servers end at the end of their input; readers have ended after their last round, or are killed.
            foreach (var process in servers.Concat(readers))
            {
                await ChildProcessStop.StopAsync(process, p => p.StandardInput.Close(), TimeSpan.FromSeconds(5));
            }
        }
    }

    private FloorResult Summarize(IReadOnlyList<string> files, int perProcess, List<double> loops)
    {
        var all = files.Select(f => MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(f)).ToArray()).ToList();
        var rounds = Enumerable.Range(0, options.Runs).Select(round =>
        {
            var ticks = all.SelectMany(t => t.Skip(round * perProcess).Take(perProcess)).Order().ToArray();
            return (P50: Ms(ticks[ticks.Length / 2]), P99: Ms(ticks[(int)(ticks.Length * 0.99)]), Max: Ms(ticks[^1]));
        }).ToList();
        return new FloorResult(perProcess * options.Instances, options.Instances, options.Runs, RawBroadcast.FrameBytes,
            Result.MedianOf(rounds.Select(r => r.P50)), Result.MedianOf(rounds.Select(r => r.P99)), Result.MedianOf(rounds.Select(r => r.Max)),
            Result.MedianOf(loops), [.. rounds.Select(r => r.P99)]);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(FloorScenario).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    /// <summary>The next line of the child's output, which must start with <paramref name="prefix"/>; within a minute.</summary>
    private static async Task<string> ExpectAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        return line is not null && line.StartsWith(prefix, StringComparison.Ordinal)
            ? line
            : throw new InvalidOperationException($"A floor process said '{line ?? "nothing (it exited)"}' where '{prefix.Trim()}' was expected; its error is above.");
    }
}

/// <summary>The floor's figures: per round over all connections, then the median over the rounds.</summary>
/// <param name="SendLoopMs">How long one server process's loop of sends took, median over rounds and processes.</param>
/// <param name="RoundP99Ms">Each round's p99, in order.</param>
internal sealed record FloorResult(int Connections, int Processes, int Rounds, int FrameBytes, double P50Ms, double P99Ms, double MaxMs,
    double SendLoopMs, double[] RoundP99Ms);
