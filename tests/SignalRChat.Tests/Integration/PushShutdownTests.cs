using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

public sealed class PushShutdownTests
{
    [Fact]
    public async Task StoppingAnInstance_PublishesEveryQueuedPushFirst()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await using var target = await TestClient.ConnectAsync(cluster.B, "target", listenTo: "Seq");
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        const int pushes = 150; // more than one backplane message holds (64 pushes)

        // Redis holds every PUBLISH for 3 s, less than the 5 s an outbox is given to drain on stop.
        await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "3000", "WRITE");
        for (var i = 0; i < pushes; i++)
        {
            await push.PushToClientAsync(target.ClientId, "Seq", i);
        }
        await cluster.A.DisposeAsync();

        for (var i = 0; i < pushes; i++)
        {
            Assert.Equal(i, (await target.NextAsync("Seq")).GetInt32());
        }
    }
}
