using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>
/// Pushes that queue up towards an instance while a publish is under way leave in one backplane message, and the
/// receiving instance writes consecutive pushes to the same recipients to each connection at once. Clients still get
/// every push as its own invocation, in order, over JSON and MessagePack; so do clients on the sender's own instance.
/// </summary>
public sealed class PushBatchingTests
{
    private const int Pushes = 200;

    [Theory]
    [InlineData("PerInstance")]
    [InlineData("FanOutOnRead")]
    public async Task PushesThatQueueUp_SharePublishes_AndEveryClientGetsEachInOrder(string strategy)
    {
        await using var cluster = await ClusterFixture.StartAsync($"Push:Strategy={strategy}");
        await using var json = await TestClient.ConnectAsync(cluster.B, "json", Protocol.Json, listenTo: "Seq");
        await using var messagePack = await TestClient.ConnectAsync(cluster.B, "messagepack", Protocol.MessagePack, listenTo: "Seq");
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        var publishedBefore = cluster.A.Metrics.Published;

        // While Redis holds writes, the pushes queue in the outbox: every third goes to the JSON client alone, which
        // splits the runs of pushes to the same recipients.
        await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "1000", "WRITE");
        for (var i = 0; i < Pushes; i++)
        {
            await push.PushToClientsAsync(i % 3 == 0 ? [json.ClientId] : [json.ClientId, messagePack.ClientId], "Seq", i);
        }

        for (var i = 0; i < Pushes; i++)
        {
            Assert.Equal(i, (await json.NextAsync("Seq")).GetInt32());
        }
        foreach (var i in Enumerable.Range(0, Pushes).Where(i => i % 3 != 0))
        {
            Assert.Equal(i, (await messagePack.NextAsync("Seq")).GetInt32());
        }
        var published = cluster.A.Metrics.Published - publishedBefore;
        Assert.InRange(published, 1, Pushes / 10);
        // Nothing else came: a last push arrives next, in order behind the others.
        await push.PushToClientsAsync([json.ClientId, messagePack.ClientId], "Seq", -1);
        Assert.Equal(-1, (await json.NextAsync("Seq")).GetInt32());
        Assert.Equal(-1, (await messagePack.NextAsync("Seq")).GetInt32());
    }

    [Fact]
    public async Task ARunLargerThanTheSlowClientBuffer_IsWrittenToAClientThatKeepsUp()
    {
        await using var cluster = await ClusterFixture.StartAsync("Push:SlowClientBufferBytes=1024");
        await using var client = await TestClient.ConnectAsync(cluster.B, "reader", listenTo: "Seq");
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        var slowBefore = cluster.B.Metrics.SlowClients;

        // Queued while Redis holds writes, the pushes reach B in runs of up to 64: each one write of more than 1 KiB.
        await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "1000", "WRITE");
        for (var i = 0; i < Pushes; i++)
        {
            await push.PushToClientAsync(client.ClientId, "Seq", i);
        }

        for (var i = 0; i < Pushes; i++)
        {
            Assert.Equal(i, (await client.NextAsync("Seq")).GetInt32());
        }
        Assert.Equal(slowBefore, cluster.B.Metrics.SlowClients);
    }

    [Fact]
    public async Task LocalPushesInATightLoop_ArriveEachInOrder()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await using var json = await TestClient.ConnectAsync(cluster.A, "json", Protocol.Json, listenTo: "Seq");
        await using var messagePack = await TestClient.ConnectAsync(cluster.A, "messagepack", Protocol.MessagePack, listenTo: "Seq");
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        const int pushes = 1000;

        for (var i = 0; i < pushes; i++)
        {
            await push.PushToClientsAsync(i % 3 == 0 ? [json.ClientId] : [json.ClientId, messagePack.ClientId], "Seq", i);
        }
        await push.PushToClientsAsync([json.ClientId, messagePack.ClientId], "Seq", -1);

        foreach (var i in Enumerable.Range(0, pushes).Append(-1))
        {
            Assert.Equal(i, (await json.NextAsync("Seq")).GetInt32());
        }
        foreach (var i in Enumerable.Range(0, pushes).Where(i => i % 3 != 0).Append(-1))
        {
            Assert.Equal(i, (await messagePack.NextAsync("Seq")).GetInt32());
        }
    }
}
