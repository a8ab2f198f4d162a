using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Hubs;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>Two deployments on one Redis, told apart by Push:ChannelPrefix (and their own cluster IDs).</summary>
public sealed class ChannelPrefixTests
{
    [Fact]
    public async Task DeploymentsWithDifferentPrefixes_DoNotHearEachOthersBroadcasts()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var blue = await HubInstance.StartAsync(redis.ConnectionString, "Push:ChannelPrefix=blue", "Cluster:ClusterId=blue");
        await using var green = await HubInstance.StartAsync(redis.ConnectionString, "Push:ChannelPrefix=green", "Cluster:ClusterId=green");
        await using var listener = await TestClient.ConnectAsync(green, "listener", listenTo: "Broadcast");

        // Same hub, same channel name but for the prefix: without it, green would hear blue's broadcast first.
        await blue.Services.GetRequiredService<IHubContext<ObjectHub>>().Clients.All.SendAsync("Broadcast", "from blue");
        await green.Services.GetRequiredService<IHubContext<ObjectHub>>().Clients.All.SendAsync("Broadcast", "from green");

        Assert.Equal("from green", (await listener.NextAsync("Broadcast")).GetString());
        Assert.Equal(0, listener.Pending("Broadcast"));
    }
}
