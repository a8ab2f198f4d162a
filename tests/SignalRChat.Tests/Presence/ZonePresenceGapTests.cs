using System.Text.Json;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Presence;

/// <summary>
/// A zone member that falls behind loses <c>ZonePresence</c> batches (a full presence queue drops its oldest), sees
/// the gap in their <c>seq</c>, and gets the zone back whole from <c>ListPlayers</c>: the client rule the README gives.
/// </summary>
public sealed class ZonePresenceGapTests
{
    private const string Zone = "Zone-gap";

    [Fact]
    public async Task AMemberThatFellBehind_SeesAGapInSeq_AndListPlayersGivesTheZoneBack()
    {
        await using var redis = await RedisServer.StartAsync();
        // Small buffers on the way to the client, four presence pushes queued per connection, a batch per change.
        await using var hub = await HubInstance.StartAsync(redis.ConnectionString, "Cluster:SocketSendBufferBytes=4096",
            "Push:OutboxCapacity=4", "Push:SlowClientTimeout=00:01:00", "Zones:PresenceInterval=00:00:00.001");
        await using var watcher = await PausedReader.ConnectAsync(hub, "gap-watcher");
        var entered = await watcher.CallAsync(Zone, "Enter", new { x = 0.0, y = 0.0 });
        var firstSeq = entered.GetProperty("seq").GetInt64();

        // The watcher reads nothing now (it only pings, as SignalR clients do, so the hub keeps it). Players with long
        // names come and go: far more than the buffers hold.
        using var stopPings = new CancellationTokenSource();
        var pings = PingEveryFiveSecondsAsync(watcher, stopPings.Token);
        var movers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            TestClient.ConnectAsync(hub.Url, $"gap-mover-{i:00}-{new string('m', 50)}")));
        try
        {
            await Task.WhenAll(movers.Select(async mover =>
            {
                for (var round = 0; round < 120; round++)
                {
                    await mover.CallAsync(Zone, "Enter", new { x = 1.0, y = 1.0 });
                    await mover.CallAsync(Zone, "Leave");
                }
            }));
            await using var last = await TestClient.ConnectAsync(hub.Url, "gap-last");
            await last.CallAsync(Zone, "Enter", new { x = 2.0, y = 2.0 });
            // Pings stop before the watcher calls again: one send at a time on a WebSocket.
            await stopPings.CancelAsync();
            await pings;

            // The newest batch is never the one dropped: the watcher reads until it.
            var batches = await watcher.ReadPushesAsync("ZonePresence",
                pushes => pushes.Any(p => Names(p, "entered").Contains("gap-last")), TimeSpan.FromSeconds(30));

            var seqs = batches.Select(b => b.GetProperty("seq").GetInt64()).ToList();
            Assert.True(seqs.Zip(seqs.Skip(1)).All(pair => pair.Second > pair.First), "seq rises from batch to batch");
            Assert.True(seqs[0] > firstSeq);
            var missed = seqs[^1] - firstSeq - seqs.Count;
            Assert.True(missed > 0, $"expected dropped batches; {seqs.Count} arrived, seq {firstSeq + 1} to {seqs[^1]}");

            // The rule: on a gap, ListPlayers. It holds the batches up to its seq, so later ones apply on top.
            var list = await watcher.CallAsync(Zone, "ListPlayers");
            Assert.True(list.GetProperty("seq").GetInt64() >= seqs[^1]);
            Assert.Equal(["gap-last", "gap-watcher"],
                list.GetProperty("players").EnumerateArray().Select(p => p.GetProperty("user").GetString()).Order());
        }
        finally
        {
            await stopPings.CancelAsync();
            await pings;
            foreach (var mover in movers)
            {
                await mover.DisposeAsync();
            }
        }
    }

    private static async Task PingEveryFiveSecondsAsync(PausedReader client, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
                await client.PingAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static List<string?> Names(JsonElement batch, string property) =>
        [.. batch.GetProperty(property).EnumerateArray().Select(n => n.GetString())];
}
