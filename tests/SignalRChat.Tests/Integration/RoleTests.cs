using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>Objects on a process of their own (role Objects), clients on a hub-only process (role Hub).</summary>
public sealed class RoleTests
{
    [Fact]
    public async Task HubOnlyAndObjectsOnlyProcesses_FormOneCluster_AndPushesCrossTheBackplane()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var objects = await HubInstance.StartAsync(redis.ConnectionString, "Cluster:Role=Objects");
        await using var hub = await HubInstance.StartAsync(redis.ConnectionString, "Cluster:Role=Hub");
        await using var alice = await TestClient.ConnectAsync(hub, "alice");
        await using var bob = await TestClient.ConnectAsync(hub, "bob", Protocol.MessagePack);
        await alice.CallAsync("ChatRoom-split", "Join");
        await bob.CallAsync("ChatRoom-split", "Join");

        await alice.CallAsync("ChatRoom-split", "SendMessage", new { text = "via the objects process" });

        Assert.Equal("via the objects process", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());
        Assert.True(objects.Metrics.Published > 0, "the push left the objects process through the backplane");
        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync($"{objects.Url}/healthz"));
        Assert.Equal("Healthy", await http.GetStringAsync($"{hub.Url}/healthz"));
    }
}
