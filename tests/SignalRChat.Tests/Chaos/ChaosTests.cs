using SignalRChat.Load.Chaos;
using Xunit.Abstractions;

namespace SignalRChat.Tests.Chaos;

/// <summary>
/// The chaos run at the suite's scale: three real hub processes and Redis, twelve members on the official clients
/// following the README, three senders every 50 ms; SIGKILL, SIGTERM and SIGSTOP of the instance hosting the room, a
/// Redis restart, a write pause, and a rolling restart of all three instances (each drains, then is replaced), one
/// after another under traffic. After each: nothing acknowledged lost, nothing
/// stored twice, every member has every message (retention keeps them all, so none may be skipped as a gap), and no
/// call through a live instance waited past the call timeout.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    /// <summary><c>Objects:CallTimeout</c> (5 s), plus what a loaded two-core machine adds to the answer.</summary>
    private static readonly double LongestAllowedWaitSeconds = 5 + 2;

    [Fact]
    public async Task EveryFault_LosesNothingAcknowledged_StoresNothingTwice_AndLeavesNoClientBehind()
    {
        var logDir = Directory.CreateTempSubdirectory("signalrchat-chaos-").FullName;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(7));

        var results = await new ChaosRun(ChaosSettings.Quick, logDir, output.WriteLine).RunAsync(timeout.Token);

        foreach (var r in results)
        {
            output.WriteLine($"{r.Fault}: sent {r.Sent}, acknowledged {r.Acknowledged}, not acknowledged {r.NotAcknowledged}, lost {r.Lost}, " +
                $"duplicated {r.Duplicated}, longest wait {r.LongestWaitSeconds} s ({r.LongestWaitViaLiveInstanceSeconds} s via live instances), " +
                $"recovery {r.RecoverySeconds} s, missing at clients {r.MissingAtClients}, gaps told {r.GapsTold}, " +
                $"reconnects {r.Reconnects} (median {r.MedianReconnectSeconds} s, longest {r.LongestReconnectSeconds} s)");
        }
        Assert.Equal(ChaosSettings.AllFaults, results.Select(r => r.Fault));
        // Every member was on one of the three instances, and each was drained: every member moved at least once.
        Assert.True(results.Single(r => r.Fault == "rolling-restart").Reconnects >= ChaosSettings.Quick.Members);
        Assert.All(results, r =>
        {
            Assert.True(r.Acknowledged > 0, $"{r.Fault}: nothing was acknowledged");
            Assert.Equal(0, r.Lost);
            Assert.Equal(0, r.Duplicated);
            Assert.Equal(0, r.MissingAtClients);
            Assert.Equal(0, r.GapsTold); // retention keeps everything here: no gap is real
            Assert.True(r.LongestWaitViaLiveInstanceSeconds <= LongestAllowedWaitSeconds,
                $"{r.Fault}: a call through a live instance waited {r.LongestWaitViaLiveInstanceSeconds} s");
        });
        Directory.Delete(logDir, recursive: true);
    }
}
