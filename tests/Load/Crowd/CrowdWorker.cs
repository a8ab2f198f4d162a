using System.Globalization;
using SignalRChat.Load.Cluster;
using SignalRChat.Load.Scenarios;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// A share of a large crowd in a process of its own: one process may hold only as many sockets as its open-files
/// limit allows (20,000 on this machine, not raisable without CAP_SYS_RESOURCE). Talks to the tool in lines:
/// prints <c>connected N</c> as it goes and <c>ready SECONDS</c> when all are connected; on <c>wait QUIET_SECONDS</c>
/// it waits for one broadcast per client and prints <c>received COUNT LOST TICKS,TICKS,…</c>.
/// </summary>
internal static class CrowdWorker
{
    public const string Command = "crowd";

    /// <param name="args"><c>HUB,HUB… COUNT FIRST TOKEN json|messagepack PARALLEL</c></param>
    public static async Task<int> RunAsync(string[] args)
    {
        var hubs = args[0].Split(',');
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        var first = int.Parse(args[2], CultureInfo.InvariantCulture);
        var messagePack = args[4] == "messagepack";
        OpenFilesLimit.Raise((ulong)count + 1_000);
        var recorder = new DeliveryRecorder(count, 1, messagePack);
        await using var crowd = await Crowd.ConnectAsync(hubs, count, _ => args[3], messagePack, recorder.SinkFor,
            connected => { if (connected % 1000 == 0) Console.WriteLine($"connected {connected}"); }, first,
            int.Parse(args[5], CultureInfo.InvariantCulture));
        Console.WriteLine(FormattableString.Invariant($"ready {crowd.ConnectSeconds} {crowd.ConnectRetries}"));
        while (Console.ReadLine() is { } line)
        {
            if (line.StartsWith("wait ", StringComparison.Ordinal))
            {
                var quiet = TimeSpan.FromSeconds(double.Parse(line[5..], CultureInfo.InvariantCulture));
                await Waiting.ForCountAsync(() => recorder.Count, recorder.Expected, quiet, _ => { }, CancellationToken.None);
                Console.WriteLine($"received {recorder.Count} {recorder.Tally().Lost} {string.Join(',', recorder.LatencyTicks())}");
            }
        }
        return 0;
    }
}
