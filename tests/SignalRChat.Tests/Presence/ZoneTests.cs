using System.Text.Json;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Presence;

/// <summary>Zones over two instances: enter, move, leave, switch, batched <c>ZonePresence</c>, <c>Nearby</c> and <c>SayNearby</c>.</summary>
[Collection(PresenceCollection.Name)]
public sealed class ZoneTests(PresenceClusterFixture cluster)
{
    [Fact]
    public async Task EnterMoveSwitchAndLeave_ShowInTheZoneAndInPresence()
    {
        await using var alice = await TestClient.ConnectAsync(cluster.A, "z1-alice", listenTo: "ZonePresence");
        await using var bob = await TestClient.ConnectAsync(cluster.B, "z1-bob", Protocol.MessagePack);
        await using var friend = await TestClient.ConnectAsync(cluster.A, "z1-friend", listenTo: "PresenceChanged");
        await friend.FollowAsync("z1-bob");
        await alice.CallAsync("Zone-z1-forest", "Enter", new { x = 0.0, y = 0.0 });

        var entered = await bob.CallAsync("Zone-z1-forest", "Enter", new { x = 10.0, y = 20.0 });

        Assert.Equal(["z1-bob", "z1-alice"], Users(entered.GetProperty("players"))); // nearest first: yourself
        Assert.Equal(2, entered.GetProperty("total").GetInt32());
        await alice.NextAsync("ZonePresence", z => Names(z, "entered").Contains("z1-bob"), "bob entered");
        Assert.Equal("Zone-z1-forest", (await friend.NextAsync("PresenceChanged", p => p.GetProperty("zone").GetString() == "Zone-z1-forest", "bob's zone")).GetProperty("zone").GetString());

        Assert.True((await bob.CallAsync("Zone-z1-forest", "Move", new { x = 30.5, y = -4.0 })).GetProperty("applied").GetBoolean());
        var bobThere = Player(await alice.CallAsync("Zone-z1-forest", "ListPlayers"), "z1-bob");
        Assert.Equal((30.5, -4.0, "online"), (bobThere.GetProperty("x").GetDouble(), bobThere.GetProperty("y").GetDouble(), bobThere.GetProperty("status").GetString()));

        await bob.CallAsync("Zone-z1-cave", "Enter", new { x = 1.0, y = 1.0 });
        await alice.NextAsync("ZonePresence", z => Names(z, "left").Contains("z1-bob"), "bob left the forest");
        Assert.Equal(["z1-alice"], Users((await alice.CallAsync("Zone-z1-forest", "ListPlayers")).GetProperty("players")));
        await friend.NextAsync("PresenceChanged", p => p.GetProperty("zone").GetString() == "Zone-z1-cave", "bob in the cave");

        await bob.CallAsync("Zone-z1-cave", "Leave");
        await friend.NextAsync("PresenceChanged", p => p.GetProperty("zone").ValueKind == JsonValueKind.Null, "bob in no zone");
        Assert.Empty((await bob.CallAsync("Zone-z1-cave", "ListPlayers")).GetProperty("players").EnumerateArray());
    }

    [Fact]
    public async Task AnInvisiblePlayer_LeavesTheOthersView_ButStaysInTheZone()
    {
        await using var bob = await TestClient.ConnectAsync(cluster.A, "z6-bob", listenTo: "ZonePresence");
        await using var ghost = await TestClient.ConnectAsync(cluster.B, "z6-ghost");
        await bob.CallAsync("Zone-z6-hall", "Enter", new { x = 0.0, y = 0.0 });
        await ghost.CallAsync("Zone-z6-hall", "Enter", new { x = 1.0, y = 1.0 });
        await bob.NextAsync("ZonePresence", z => Names(z, "entered").Contains("z6-ghost"), "the ghost entered");

        await ghost.SetStatusAsync("invisible");

        await bob.NextAsync("ZonePresence", z => Names(z, "left").Contains("z6-ghost"), "the ghost seems to leave");
        Assert.Equal(["z6-bob"], Users((await bob.CallAsync("Zone-z6-hall", "ListPlayers")).GetProperty("players")));
        Assert.Empty((await bob.CallAsync("Zone-z6-hall", "Nearby", new { radius = 10.0 })).EnumerateArray());
        var ownView = await ghost.CallAsync("Zone-z6-hall", "Nearby", new { radius = 10.0 });
        Assert.Equal("z6-bob", ownView[0].GetProperty("user").GetString());

        await ghost.SetStatusAsync("online");
        await bob.NextAsync("ZonePresence", z => Names(z, "entered").Contains("z6-ghost"), "the ghost reappears");
        Assert.Single((await bob.CallAsync("Zone-z6-hall", "Nearby", new { radius = 10.0 })).EnumerateArray());
    }

    [Fact]
    public async Task ARaidEnteringAtOnce_ArrivesInAFewBatchedEvents_NumberedOneAfterAnother()
    {
        await using var watcher = await TestClient.ConnectAsync(cluster.A, "z2-watcher", listenTo: "ZonePresence");
        var entered = await watcher.CallAsync("Zone-z2-raid", "Enter", new { x = 0.0, y = 0.0 });
        var seq = entered.GetProperty("seq").GetInt64();
        var raid = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, $"z2-raider{i}")));
        try
        {
            await Task.WhenAll(raid.Select((r, i) => r.CallAsync("Zone-z2-raid", "Enter", new { x = (double)i, y = 0.0 })));

            var seen = new HashSet<string>();
            var events = 0;
            while (seen.Count < raid.Length)
            {
                var batch = await watcher.NextAsync("ZonePresence");
                events++;
                seen.UnionWith(Names(batch, "entered"));
                // Nothing was dropped: each batch is numbered one after the one before, from the snapshot's.
                Assert.Equal(++seq, batch.GetProperty("seq").GetInt64());
            }
            Assert.True(events <= 10, $"40 enters took {events} ZonePresence events");
            Assert.Equal(raid.Select(r => r.User).Order(), seen.Where(u => u.StartsWith("z2-raider")).Order());
            Assert.Equal(seq, (await watcher.CallAsync("Zone-z2-raid", "ListPlayers")).GetProperty("seq").GetInt64());
        }
        finally
        {
            await Task.WhenAll(raid.Select(r => r.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task MovesOverTheLimit_KeepOnlyTheLatestPosition()
    {
        await using var runner = await TestClient.ConnectAsync(cluster.B, "z3-runner");
        await runner.CallAsync("Zone-z3-track", "Enter", new { x = 0.0, y = 0.0 });

        var results = new List<bool>();
        var moving = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 1; i <= 30; i++)
        {
            results.Add((await runner.CallAsync("Zone-z3-track", "Move", new { x = (double)i, y = 0.0 })).GetProperty("applied").GetBoolean());
        }

        // The budget's second starts at the first move: within it, the first 20 are applied and the rest wait, the
        // latest winning, until the second is over.
        if (moving.Elapsed < TimeSpan.FromMilliseconds(900))
        {
            Assert.Equal([.. Enumerable.Repeat(true, 20), .. Enumerable.Repeat(false, 10)], results);
        }
        else
        {
            // A slow machine: the second may have run out mid-way, and a new budget started.
            Assert.Equal(Enumerable.Repeat(true, 20), results.Take(20));
        }
        await Eventually.TrueAsync(async () =>
            Player(await runner.CallAsync("Zone-z3-track", "ListPlayers"), "z3-runner").GetProperty("x").GetDouble() == 30.0,
            "the last move is applied once the second is over", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Nearby_MatchesABruteForceReference_OnRandomPositions()
    {
        var random = new Random(9);
        var clients = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, $"z4-p{i}", i % 3 == 0 ? Protocol.MessagePack : Protocol.Json)));
        try
        {
            var positions = clients.ToDictionary(c => c.User, _ => (X: random.NextDouble() * 2000 - 1000, Y: random.NextDouble() * 2000 - 1000));
            foreach (var c in clients)
            {
                await c.CallAsync("Zone-z4-field", "Enter", new { x = positions[c.User].X, y = positions[c.User].Y });
            }
            foreach (var c in clients.Take(10))
            {
                var radius = 100 + random.NextDouble() * 900;
                var me = positions[c.User];
                var expected = positions.Where(p => p.Key != c.User)
                    .Select(p => (User: p.Key, Distance: Math.Sqrt((p.Value.X - me.X) * (p.Value.X - me.X) + (p.Value.Y - me.Y) * (p.Value.Y - me.Y))))
                    .Where(p => p.Distance <= radius).OrderBy(p => p.Distance).Take(5).ToList();

                var nearby = await c.CallAsync("Zone-z4-field", "Nearby", new { radius, limit = 5 });

                Assert.Equal(expected.Select(e => e.User), nearby.EnumerateArray().Select(p => p.GetProperty("user").GetString()));
                Assert.Equal(expected.Select(e => Math.Round(e.Distance, 6)), nearby.EnumerateArray().Select(p => Math.Round(p.GetProperty("distance").GetDouble(), 6)));
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task SayNearby_ReachesExactlyThePlayersWithinTheRadius_OnEveryInstance()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, $"z5-p{i}", listenTo: "NearbyMessage")));
        try
        {
            // On a line: p0 speaks at 0; p1..p11 stand at 10, 20, … 110.
            for (var i = 0; i < clients.Length; i++)
            {
                await clients[i].CallAsync("Zone-z5-square", "Enter", new { x = i * 10.0, y = 0.0 });
            }

            var said = await clients[0].CallAsync("Zone-z5-square", "SayNearby", new { text = "psst", radius = 55.0 });
            Assert.Equal(5, said.GetProperty("recipients").GetInt32());
            await clients[0].CallAsync("Zone-z5-square", "SayNearby", new { text = "everyone", radius = 1000.0 });

            for (var i = 1; i < clients.Length; i++)
            {
                var first = await clients[i].NextAsync("NearbyMessage");
                Assert.Equal(i <= 5 ? "psst" : "everyone", first.GetProperty("text").GetString());
                Assert.Equal("z5-p0", first.GetProperty("user").GetString());
            }
            Assert.Equal(0, clients[0].Pending("NearbyMessage"));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static IEnumerable<string> Users(JsonElement players) => players.EnumerateArray().Select(p => p.GetProperty("user").GetString()!).ToList();

    private static JsonElement Player(JsonElement snapshot, string user) =>
        snapshot.GetProperty("players").EnumerateArray().Single(p => p.GetProperty("user").GetString() == user);

    private static List<string> Names(JsonElement zonePresence, string field) =>
        zonePresence.GetProperty(field).EnumerateArray().Select(u => u.GetString()!).ToList();
}
