using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Hubs;
using SignalRChat.Push;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>Group and user sends over three instances, one of them a real process killed with SIGKILL.</summary>
public sealed class GroupsAcrossInstancesTests
{
    [Fact]
    public async Task GroupAndUserSends_KeepReachingTheLiveInstances_WhenOneIsKilled_AndItsClientsFailFast()
    {
        const string ttl = "Cluster:InstanceTtl=00:00:03";
        await using var redis = await RedisServer.StartAsync();
        await using var a = await HubInstance.StartAsync(redis.ConnectionString, ttl);
        await using var b = await HubInstance.StartAsync(redis.ConnectionString, ttl);
        await using var c = await HubProcess.StartAsync(redis.ConnectionString, ttl, "Cluster:Role=Hub");
        await using var onA = await TestClient.ConnectAsync(a, "uma", listenTo: "Raid");
        await using var onB = await TestClient.ConnectAsync(b, "uma", Protocol.MessagePack, listenTo: "Raid");
        var onC = await TestClient.ConnectAsync(c.Url, "uma", listenTo: "Raid");
        var hub = a.Services.GetRequiredService<IHubContext<ObjectHub>>();
        foreach (var client in new[] { onA, onB, onC })
        {
            await hub.Groups.AddToGroupAsync(client.ClientId, "raid");
        }

        await hub.Clients.Group("raid").SendAsync("Raid", "group, all three");
        await hub.Clients.User("uma").SendAsync("Raid", "user, all three");
        foreach (var client in new[] { onA, onB, onC })
        {
            Assert.Equal("group, all three", (await client.NextAsync("Raid")).GetString());
            Assert.Equal("user, all three", (await client.NextAsync("Raid")).GetString());
        }

        c.Crash();
        var instances = a.Services.GetRequiredService<ClusterInstances>();
        await Eventually.TrueAsync(() => instances.IsGone(onC.InstanceId), "A judges the killed instance gone within its TTL", TimeSpan.FromSeconds(20));
        var publishes = await redis.CommandCallsAsync("publish");

        await hub.Clients.Group("raid").SendAsync("Raid", "group, two left");
        await hub.Clients.User("uma").SendAsync("Raid", "user, two left");

        foreach (var client in new[] { onA, onB })
        {
            Assert.Equal("group, two left", (await client.NextAsync("Raid")).GetString());
            Assert.Equal("user, two left", (await client.NextAsync("Raid")).GetString());
        }
        // Fan-out on read: one publish per send, however many instances and members; none waits for the dead one.
        Assert.InRange(await redis.CommandCallsAsync("publish") - publishes, 1, 2);
        await hub.Groups.RemoveFromGroupAsync(onC.ClientId, "raid").WaitAsync(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<IOException>(() =>
            hub.Clients.Client(onC.ClientId).InvokeAsync<string>("Ask", "anyone?", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Contains("is gone", error.Message);
        await onC.Connection.DisposeAsync();
    }
}
