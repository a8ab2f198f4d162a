using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Presence;

/// <summary>Presence over time and faults: idle away, and an instance that crashes with users on it. Each test has its own cluster.</summary>
public sealed class PresenceLifecycleTests
{
    [Fact]
    public async Task AnIdleUser_TurnsAway_AndTheNextCallBringsTheStatusBack()
    {
        await using var cluster = await ClusterFixture.StartAsync("Presence:IdleAway=00:00:02");
        await using var follower = await TestClient.ConnectAsync(cluster.A, "idle-bob", listenTo: "PresenceChanged");
        await using var alice = await TestClient.ConnectAsync(cluster.B, "idle-alice");
        await alice.SetStatusAsync("in-menu");
        await follower.FollowAsync("idle-alice");

        await follower.PresenceChangeAsync("idle-alice", "away", TimeSpan.FromSeconds(15));

        // Any call counts, not only calls to the player: the hub reports it.
        await alice.CallAsync("ChatRoom-idle", "Join");
        await follower.PresenceChangeAsync("idle-alice", "in-menu");
    }

    [Fact]
    public async Task PresenceAndFollows_SurviveARestartOfEveryInstance()
    {
        await using var cluster = await ClusterFixture.StartAsync("Presence:OfflineGrace=00:00:01");
        var bob = await TestClient.ConnectAsync(cluster.A, "restart-bob", listenTo: "PresenceChanged");
        var alice = await TestClient.ConnectAsync(cluster.B, "restart-alice");
        await bob.FollowAsync("restart-alice", "restart-carol");
        // Stored within a second, or when the player's activation stops: the restart below comes sooner.
        await alice.SetStatusAsync("busy", "back soon");
        await alice.DisposeAsync();
        await bob.PresenceChangeAsync("restart-alice", "offline");
        await bob.DisposeAsync();

        await cluster.RestartInstancesAsync();

        await using var bobAgain = await TestClient.ConnectAsync(cluster.B, "restart-bob");
        var following = await bobAgain.CallAsync(bobAgain.PlayerOf(), "ListFollowing");
        Assert.Equal(["restart-alice", "restart-carol"], following.EnumerateArray().Select(p => p.GetProperty("user").GetString()));
        Assert.True(following[0].GetProperty("lastSeen").GetInt64() > 0);
        await using var aliceAgain = await TestClient.ConnectAsync(cluster.A, "restart-alice");
        var presence = await bobAgain.PresenceOfAsync("restart-alice");
        // A new session starts online; the text is kept.
        Assert.Equal(("online", "back soon"), (presence.GetProperty("status").GetString(), presence.GetProperty("text").GetString()));
    }

    [Theory]
    // A hub-only process: the crashed user's player lives on the survivor.
    [InlineData("Hub", 20)]
    // The default role: the crashed user's player lived in the crashed process (placed where its user connected), and
    // comes back from storage on the survivor once Orleans has declared the dead silo dead (about 9 s).
    [InlineData("All", 45)]
    public async Task UsersOfACrashedInstance_GoOfflineForTheirFollowers(string role, int seconds)
    {
        const string ttl = "Cluster:InstanceTtl=00:00:03";
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await HubInstance.StartAsync(redis.ConnectionString, ttl);
        await using var doomed = await HubProcess.StartAsync(redis.ConnectionString, ttl, $"Cluster:Role={role}");
        await using var follower = await TestClient.ConnectAsync(survivor, "crash-bob", listenTo: "PresenceChanged");
        var ghost = await TestClient.ConnectAsync(doomed.Url, "crash-ghost");
        await follower.FollowAsync("crash-ghost");

        doomed.Crash();

        // Players check their connections every 30 s on their own; the survivor's sweep is what makes this quick.
        var offline = await follower.PresenceChangeAsync("crash-ghost", "offline", TimeSpan.FromSeconds(seconds));
        Assert.True(offline.GetProperty("lastSeen").GetInt64() > 0);
        await ghost.Connection.DisposeAsync();
    }

    [Fact]
    public async Task AUserWhosePlayerWasOnACrashedProcess_ComesOnlineOnTheSurvivor_WithoutACallOfTheirOwn()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await HubInstance.StartAsync(redis.ConnectionString, PresenceClusterFixture.Grace);
        await using var doomed = await HubProcess.StartAsync(redis.ConnectionString, PresenceClusterFixture.Grace);
        await using var follower = await TestClient.ConnectAsync(survivor.Url, "late-bob", listenTo: "PresenceChanged");
        // The player is placed where its user first connects: in the process that crashes below.
        var first = await TestClient.ConnectAsync(doomed.Url, "late-alice");
        Assert.Equal("online", (await follower.FollowAsync("late-alice"))[0].GetProperty("status").GetString());
        await first.DisposeAsync();
        await follower.PresenceChangeAsync("late-alice", "offline");

        doomed.Crash();
        // The user comes back on the survivor while the player's process is not yet declared dead: the hub's notice
        // of the new connection fails, and the connection works without it.
        await using var again = await TestClient.ConnectAsync(survivor.Url, "late-alice");

        // The hub tells the player again every 5 s; once Orleans has declared the dead silo dead (about 10 s), the
        // player comes back on the survivor and hears of the connection.
        await follower.PresenceChangeAsync("late-alice", "online", TimeSpan.FromSeconds(45));
    }
}
