using System.Diagnostics;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Load.Scenarios;

/// <summary>
/// Uncounted rounds of a scenario's own load until the instances are warm: tiered compilation goes on for half a
/// minute or more under load, and numbers taken meanwhile describe the compiler, not the path measured.
/// </summary>
internal static class JitWarmUp
{
    /// <summary>A round compiling fewer methods than this per instance, twice in a row, means the JIT has settled.</summary>
    public const int SettledMethodsPerInstance = 10;

    /// <summary>
    /// Runs <paramref name="round"/> (given its number, from 1) until the JIT has settled and at least
    /// <paramref name="minSeconds"/> have passed, or until <paramref name="maxSeconds"/> have.
    /// </summary>
    /// <returns>How long it took.</returns>
    public static async Task<TimeSpan> RunAsync(LoadCluster cluster, double maxSeconds, Func<int, Task> round, CancellationToken cancellationToken,
        double minSeconds = 0)
    {
        var elapsed = Stopwatch.StartNew();
        var compiled = await cluster.CompiledMethodsAsync(cancellationToken);
        var quietRounds = 0;
        for (var n = 1; (quietRounds < 2 || elapsed.Elapsed.TotalSeconds < minSeconds) && elapsed.Elapsed.TotalSeconds < maxSeconds; n++)
        {
            await round(n);
            var now = await cluster.CompiledMethodsAsync(cancellationToken);
            quietRounds = now - compiled < SettledMethodsPerInstance * cluster.Servers.Count ? quietRounds + 1 : 0;
            compiled = now;
        }
        return elapsed.Elapsed;
    }
}
