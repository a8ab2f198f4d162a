using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Limits;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Security;

/// <summary>What one user may hold, counted across the cluster by the objects.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task AConnectionPastTheUsersQuota_IsClosedWithTheReason_OnAnyInstance_AndAFreedPlaceIsUsable()
    {
        await using var cluster = await ClusterFixture.StartAsync("Quotas:ConnectionsPerUser=3");
        var held = new List<TestClient>
        {
            await TestClient.ConnectAsync(cluster.A, "frank"),
            await TestClient.ConnectAsync(cluster.A, "frank"),
            await TestClient.ConnectAsync(cluster.B, "frank"),
        };

        var (refused, reason) = await TryConnectAsync(cluster.B, "frank");
        Assert.Null(refused);

        Assert.Contains("frank already has 3 open connections, the most one user may have (Quotas:ConnectionsPerUser); close one first.", reason);
        Assert.Equal(1, cluster.B.Services.GetRequiredService<LimitMetrics>().RefusedBy("Quotas:ConnectionsPerUser"));
        // The others work on, other users connect, and a closed connection frees its place.
        await held[2].CallAsync("ChatRoom-quota", "Join");
        await using var grace = await TestClient.ConnectAsync(cluster.B, "grace");
        await held[0].DisposeAsync();
        HubConnection? again = null;
        await Eventually.TrueAsync(async () => (again = (await TryConnectAsync(cluster.A, "frank")).Connection) is not null,
            "frank connects once one of his connections closed", TimeSpan.FromSeconds(20));
        await again!.DisposeAsync();
        await held[1].DisposeAsync();
        await held[2].DisposeAsync();
    }

    [Fact]
    public async Task ARoomsMemberLimit_CountsUsers_SoOneUsersConnectionsCannotFillIt()
    {
        await using var cluster = await ClusterFixture.StartAsync("Quotas:RoomMembers=3");
        const string room = "ChatRoom-small";
        var mallory = new List<TestClient>();
        for (var i = 0; i < 6; i++)
        {
            mallory.Add(await TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, "mallory"));
            await mallory[^1].CallAsync(room, "Join");
        }
        await using var alice = await TestClient.ConnectAsync(cluster.A, "alice");
        await using var bob = await TestClient.ConnectAsync(cluster.B, "bob");
        await alice.CallAsync(room, "Join");
        await bob.CallAsync(room, "Join");

        await using var carol = await TestClient.ConnectAsync(cluster.A, "carol");
        var refused = await Assert.ThrowsAsync<HubException>(() => carol.CallAsync(room, "Join"));

        Assert.EndsWith("ChatRoom-small is full (3 users).", refused.Message);
        Assert.Equal(["alice", "bob", "mallory"], (await alice.CallAsync(room, "ListMembers")).EnumerateArray().Select(m => m.GetString()).Order());
        foreach (var client in mallory)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task AJoinPastTheConnectionsLimitOfRooms_IsRefused_AndStoresNoRoom()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await using var hoarder = await TestClient.ConnectAsync(cluster.A, "hoarder");
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async part =>
        {
            for (var i = part; i < Objects.Runtime.ObjectCaller.MaxWatchedObjects; i += 10)
            {
                await hoarder.CallAsync($"ChatRoom-hoard{i}", "Join");
            }
        }));

        var refused = await Assert.ThrowsAsync<HubException>(() => hoarder.CallAsync("ChatRoom-one-too-many", "Join"));

        Assert.EndsWith("This connection is already a member of 1000 objects; leave one before joining ChatRoom-one-too-many.", refused.Message);
        Assert.Empty(await KeysAsync(cluster.Redis, "*one-too-many*"));
        Assert.NotEmpty(await KeysAsync(cluster.Redis, "*hoard999*"));
        // Leaving one makes room for another.
        await hoarder.CallAsync("ChatRoom-hoard0", "Leave");
        await hoarder.CallAsync("ChatRoom-one-too-many", "Join");
    }

    [Fact]
    public async Task RoomsPastTheUsersQuota_AreRefusedStoringNothing_AndRoomsUnusedForTheExpiry_AreDeletedFreeingTheirPlace()
    {
        await using var cluster = await ClusterFixture.StartAsync("Quotas:RoomsPerUser=2", "Quotas:RoomIdleExpiry=00:00:03");
        await using var ivy = await TestClient.ConnectAsync(cluster.A, "ivy");
        await using var jon = await TestClient.ConnectAsync(cluster.B, "jon");
        await jon.CallAsync("ChatRoom-jons", "Join");
        // Emptied (its expiry scheduled) and used again: the expiry's tick must find members and delete nothing.
        await jon.CallAsync("ChatRoom-jons", "Leave");
        await jon.CallAsync("ChatRoom-jons", "Join");
        await ivy.CreateAsync("ChatRoom", "ChatRoom-ivy1", new { title = "made" });
        await ivy.CallAsync("ChatRoom-ivy2", "Join");
        await ivy.CallAsync("ChatRoom-ivy2", "SendMessage", new { text = "a history to delete" });

        var created = await Assert.ThrowsAsync<HubException>(() => ivy.CreateAsync("ChatRoom", "ChatRoom-ivy3"));
        var joined = await Assert.ThrowsAsync<HubException>(() => ivy.CallAsync("ChatRoom-ivy4", "Join"));

        Assert.Contains("ivy has made 2 chat rooms, the most one user may have (Quotas:RoomsPerUser)", created.Message);
        Assert.Contains("(Quotas:RoomsPerUser)", joined.Message);
        Assert.Empty(await KeysAsync(cluster.Redis, "*ivy3*"));
        Assert.Empty(await KeysAsync(cluster.Redis, "*ivy4*"));
        // Joining a room someone else made costs nothing.
        await ivy.CallAsync("ChatRoom-jons", "Join");

        // Unused (never joined, or left) for the expiry: deleted with their history, and their places are free again.
        await ivy.CallAsync("ChatRoom-ivy2", "Leave");
        await Eventually.TrueAsync(async () => (await KeysAsync(cluster.Redis, "*ivy1*")).Count == 0 && (await KeysAsync(cluster.Redis, "*ivy2*")).Count == 0,
            "the unused rooms expire", TimeSpan.FromSeconds(30));
        Assert.NotEmpty(await KeysAsync(cluster.Redis, "*jons*"));
        await ivy.CreateAsync("ChatRoom", "ChatRoom-ivy3");
        await ivy.CallAsync("ChatRoom-ivy4", "Join");
        var fresh = await ivy.CallAsync("ChatRoom-ivy2", "GetMessages", new { afterSeq = 0 });
        Assert.Equal(0, fresh.GetProperty("messages").GetArrayLength());
    }

    private static async Task<List<string>> KeysAsync(Infrastructure.RedisServer redis, string pattern)
    {
        var keys = new List<string>();
        await foreach (var key in redis.AdminServer.KeysAsync(pattern: pattern))
        {
            keys.Add(key!);
        }
        return keys;
    }

    /// <summary>Connects with the official client: the connection once registered, or the error the server closed it with.</summary>
    private static async Task<(HubConnection? Connection, string? Refusal)> TryConnectAsync(HubInstance instance, string user)
    {
        var token = await TestClient.LoginAsync(instance.Url, user);
        var connection = new HubConnectionBuilder()
            .WithUrl($"{instance.Url}/hub", options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var outcome = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<object>("Registered", _ => outcome.TrySetResult(null));
        connection.Closed += error =>
        {
            outcome.TrySetResult(error?.Message ?? "closed without an error");
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            outcome.TrySetResult(e.Message);
        }
        var refusal = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (refusal is null)
        {
            return (connection, null);
        }
        await connection.DisposeAsync();
        return (null, refusal);
    }
}
