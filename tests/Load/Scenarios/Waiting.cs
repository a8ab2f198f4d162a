using System.Diagnostics;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Load.Scenarios;

internal static class Waiting
{
    /// <summary>
    /// Waits until <paramref name="count"/> reaches <paramref name="expected"/>, or stops growing for
    /// <paramref name="quiet"/> (what is still missing then is lost), reporting progress as it goes.
    /// </summary>
    public static async Task ForCountAsync(Func<long> count, long expected, TimeSpan quiet, Action<double> progress, CancellationToken cancellationToken)
    {
        var last = -1L;
        var lastChange = Stopwatch.StartNew();
        while (true)
        {
            var now = count();
            progress(expected == 0 ? 1 : (double)now / expected);
            if (now >= expected)
            {
                return;
            }
            if (now != last)
            {
                last = now;
                lastChange.Restart();
            }
            else if (lastChange.Elapsed > quiet)
            {
                return;
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Waits until the <paramref name="n"/>th event of a schedule at <paramref name="rate"/> per second from <paramref name="started"/> is due.</summary>
    public static async Task UntilDueAsync(long started, int n, double rate, CancellationToken cancellationToken)
    {
        var due = started + (long)(n * Stopwatch.Frequency / rate);
        if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) is { TotalMilliseconds: > 1 } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until the instances are nearly idle (under a third of a core together over a second), at most
    /// <paramref name="limit"/> (default 30 s): what the setup left to deliver is delivered before anything is measured.
    /// </summary>
    public static async Task ForIdleAsync(LoadCluster cluster, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (limit ?? TimeSpan.FromSeconds(30)))
        {
            var before = cluster.CpuMs();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (cluster.CpuMs() - before < 333)
            {
                return;
            }
        }
    }
}
