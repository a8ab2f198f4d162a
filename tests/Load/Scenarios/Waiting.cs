using System.Diagnostics;

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
}
