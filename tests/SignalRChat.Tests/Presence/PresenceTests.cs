using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Presence;

/// <summary>Players: online on connect, one presence over several instances, follow and <c>PresenceChanged</c>.</summary>
[Collection(PresenceCollection.Name)]
public sealed class PresenceTests(PresenceClusterFixture cluster)
{
    [Fact]
    public async Task AUser_IsOnlineOnConnect_OnePresenceOverInstances_OfflineOnlyAfterTheGrace()
    {
        await using var watcher = await TestClient.ConnectAsync(cluster.A, "p1-watcher", listenTo: "PresenceChanged");
        var first = await TestClient.ConnectAsync(cluster.A, "p1-alice");
        var followed = await watcher.FollowAsync("p1-alice");
        Assert.Equal("online", followed[0].GetProperty("status").GetString());

        var second = await TestClient.ConnectAsync(cluster.B, "p1-alice");
        await first.DisposeAsync();
        Assert.Equal("online", (await watcher.PresenceOfAsync("p1-alice")).GetProperty("status").GetString());

        var lastClosed = Stopwatch.StartNew();
        await second.DisposeAsync();
        var offline = await watcher.PresenceChangeAsync("p1-alice", "offline");
        Assert.True(lastClosed.Elapsed >= PresenceClusterFixture.GraceTime * 0.9, $"offline after {lastClosed.Elapsed}, before the grace");
        Assert.True(offline.GetProperty("lastSeen").GetInt64() > 0);
        Assert.DoesNotContain(watcher.Drain("PresenceChanged"), p => p.GetProperty("user").GetString() == "p1-alice");
    }

    [Fact]
    public async Task AQuickReconnect_DoesNotFlap()
    {
        await using var watcher = await TestClient.ConnectAsync(cluster.B, "p2-watcher", listenTo: "PresenceChanged");
        var alice = await TestClient.ConnectAsync(cluster.A, "p2-alice");
        await watcher.FollowAsync("p2-alice");

        await alice.DisposeAsync();
        await using var again = await TestClient.ConnectAsync(cluster.B, "p2-alice");
        // The window in which a flap would show: twice the grace.
        await Task.Delay(PresenceClusterFixture.GraceTime * 2);
        await again.SetStatusAsync("busy");

        // The first change the watcher hears of about alice is busy: no offline and online in between.
        var change = await watcher.NextAsync("PresenceChanged", p => p.GetProperty("user").GetString() == "p2-alice", "a change of alice");
        Assert.Equal("busy", change.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Protocol.Json)]
    [InlineData(Protocol.MessagePack)]
    public async Task AChangeOnOneInstance_ReachesAFollowerOnTheOther(Protocol protocol)
    {
        var user = $"p3-alice-{protocol}";
        await using var follower = await TestClient.ConnectAsync(cluster.B, $"p3-bob-{protocol}", protocol, listenTo: "PresenceChanged");
        await using var alice = await TestClient.ConnectAsync(cluster.A, user, protocol);
        await follower.FollowAsync(user);

        await alice.SetStatusAsync("in-game", "ranked");
        var change = await follower.PresenceChangeAsync(user, "in-game");
        Assert.Equal("ranked", change.GetProperty("text").GetString());

        await alice.CallAsync(alice.PlayerOf(), "SetActivity", new { activity = new { game = "ctf", map = "dust", partySize = 3 } });
        change = await follower.NextAsync("PresenceChanged", p => p.GetProperty("activity").ValueKind == System.Text.Json.JsonValueKind.Object, "the activity");
        Assert.Equal("dust", change.GetProperty("activity").GetProperty("map").GetString());
        Assert.Equal(3, change.GetProperty("activity").GetProperty("partySize").GetInt32());
    }

    [Fact]
    public async Task AnInvisibleUser_LooksOfflineToOthers_AndInvisibleToThemselves()
    {
        await using var follower = await TestClient.ConnectAsync(cluster.A, "p4-bob", listenTo: "PresenceChanged");
        await using var alice = await TestClient.ConnectAsync(cluster.B, "p4-alice");
        await alice.SetStatusAsync("online", "hello");
        await follower.FollowAsync("p4-alice");

        var own = await alice.SetStatusAsync("invisible");

        Assert.Equal("invisible", own.GetProperty("status").GetString());
        var seen = await follower.PresenceChangeAsync("p4-alice", "offline");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("text").ValueKind);
        Assert.Equal("offline", (await follower.PresenceOfAsync("p4-alice")).GetProperty("status").GetString());

        await alice.SetStatusAsync("busy");
        await follower.PresenceChangeAsync("p4-alice", "busy");
    }

    [Fact]
    public async Task Unfollow_StopsTheChanges()
    {
        await using var bob = await TestClient.ConnectAsync(cluster.A, "p5-bob", listenTo: "PresenceChanged");
        await using var dave = await TestClient.ConnectAsync(cluster.A, "p5-dave", listenTo: "PresenceChanged");
        await using var alice = await TestClient.ConnectAsync(cluster.B, "p5-alice");
        await bob.FollowAsync("p5-alice", "p5-carol");
        await dave.FollowAsync("p5-alice");

        var unfollowed = await bob.CallAsync(bob.PlayerOf(), "Unfollow", new { users = new[] { "p5-alice" } });
        Assert.Equal("p5-alice", unfollowed[0].GetProperty("user").GetString());
        await alice.SetStatusAsync("busy");

        // One push names every follower; once dave has it, and bob has answered a call since, bob would have it too.
        await dave.PresenceChangeAsync("p5-alice", "busy");
        var following = await bob.CallAsync(bob.PlayerOf(), "ListFollowing");
        Assert.Equal(["p5-carol"], following.EnumerateArray().Select(p => p.GetProperty("user").GetString()));
        Assert.DoesNotContain(bob.Drain("PresenceChanged"), p => p.GetProperty("user").GetString() == "p5-alice");
    }

    [Fact]
    public async Task GetPresence_ShowsUnknownUsersOffline()
    {
        await using var bob = await TestClient.ConnectAsync(cluster.A, "p6-bob");
        var presences = await bob.CallAsync(bob.PlayerOf(), "GetPresence", new { users = new[] { "p6-nobody", "p6-bob" } });
        Assert.Equal("offline", presences[0].GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, presences[0].GetProperty("lastSeen").ValueKind);
        Assert.Equal("online", presences[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task OwnConnections_HearTheirOwnPresence_WithTheStatusOnlyTheUserSees()
    {
        await using var phone = await TestClient.ConnectAsync(cluster.A, "p8-alice", listenTo: "PresenceChanged");
        await phone.PresenceChangeAsync("p8-alice", "online");
        await using var desktop = await TestClient.ConnectAsync(cluster.B, "p8-alice");

        await desktop.SetStatusAsync("invisible");

        await phone.PresenceChangeAsync("p8-alice", "invisible");
    }

    [Fact]
    public async Task TheConnectionThatMadeAChange_HasItAsTheResult_AndTheUsersOtherConnectionsArePushedIt()
    {
        await using var phone = await TestClient.ConnectAsync(cluster.A, "p10-alice", listenTo: "PresenceChanged");
        await phone.PresenceChangeAsync("p10-alice", "online");
        await using var desktop = await TestClient.ConnectAsync(cluster.B, "p10-alice", listenTo: "PresenceChanged");

        var result = await desktop.SetStatusAsync("busy", "from the desktop");
        Assert.Equal("busy", result.GetProperty("status").GetString());
        await phone.PresenceChangeAsync("p10-alice", "busy");
        await phone.SetStatusAsync("in-game", "from the phone");

        // The desktop's first push about alice is the phone's change: its own came only as its result.
        var first = await desktop.NextAsync("PresenceChanged", p => p.GetProperty("user").GetString() == "p10-alice", "a change of alice");
        Assert.Equal("in-game", first.GetProperty("status").GetString());
        Assert.Equal("from the phone", first.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AFollowerOnSeveralInstances_HearsTheChangeOnEveryConnection_AndANullActivityClearsIt()
    {
        await using var bobOnA = await TestClient.ConnectAsync(cluster.A, "p11-bob", listenTo: "PresenceChanged");
        await using var bobOnB = await TestClient.ConnectAsync(cluster.B, "p11-bob", Protocol.MessagePack, listenTo: "PresenceChanged");
        await using var alice = await TestClient.ConnectAsync(cluster.A, "p11-alice");
        await bobOnA.FollowAsync("p11-alice");
        await alice.CallAsync(alice.PlayerOf(), "SetActivity", new { activity = new { game = "ctf" } });

        foreach (var bob in new[] { bobOnA, bobOnB })
        {
            await bob.NextAsync("PresenceChanged", p => p.GetProperty("activity").ValueKind == System.Text.Json.JsonValueKind.Object, "the activity");
        }
        await alice.CallAsync(alice.PlayerOf(), "SetActivity", new { activity = (object?)null });
        foreach (var bob in new[] { bobOnA, bobOnB })
        {
            await bob.NextAsync("PresenceChanged", p => p.GetProperty("activity").ValueKind == System.Text.Json.JsonValueKind.Null, "the activity cleared");
        }
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await bobOnB.PresenceOfAsync("p11-alice")).GetProperty("activity").ValueKind);
    }

    [Fact]
    public async Task Following_StopsAtOneThousandUsers_AndARefusedFollowStoresNothing()
    {
        await using var fan = await TestClient.ConnectAsync(cluster.A, "p9-fan");
        await fan.FollowAsync([.. Enumerable.Range(0, 500).Select(i => $"p9-u{i}")]);
        await fan.FollowAsync([.. Enumerable.Range(500, 500).Select(i => $"p9-u{i}")]);

        var error = await Assert.ThrowsAsync<HubException>(() => fan.FollowAsync("p9-u0", "p9-one-more"));

        Assert.EndsWith("You follow 1000 users; 1 more would pass the limit of 1000. Unfollow some first.", error.Message);
        var following = (await fan.CallAsync(fan.PlayerOf(), "ListFollowing")).EnumerateArray().Select(p => p.GetProperty("user").GetString()).ToList();
        Assert.Equal(1000, following.Count);
        Assert.DoesNotContain("p9-one-more", following);
    }

    [Fact]
    public async Task AnotherUsersPlayer_RefusesTheCall()
    {
        await using var mallory = await TestClient.ConnectAsync(cluster.A, "p7-mallory");
        var error = await Assert.ThrowsAsync<HubException>(() => mallory.CallAsync("Player-p7-alice", "SetStatus", new { status = "busy" }));
        Assert.Contains("Player-p7-alice belongs to another user; call your own Player-p7-mallory.", error.Message);
    }
}
