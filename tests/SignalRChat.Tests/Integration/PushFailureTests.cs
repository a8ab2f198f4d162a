using SignalRChat.Push.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>A cluster with small buffers, so backpressure and slow clients show within a test.</summary>
public class SmallBuffersCluster : ClusterFixture
{
    public const int OutboxCapacity = 4;

    public SmallBuffersCluster()
        : this([])
    {
    }

    protected SmallBuffersCluster(params string[] settings)
        : base([$"Push:OutboxCapacity={OutboxCapacity}", .. settings])
    {
    }
}

/// <summary>The same small buffers with the fan-out-on-read strategy: one shared outbox.</summary>
public sealed class SmallBuffersFanOutCluster() : SmallBuffersCluster("Push:Strategy=FanOutOnRead");

public sealed class FanOutOnReadFailureTests(SmallBuffersFanOutCluster cluster) : IClassFixture<SmallBuffersFanOutCluster>
{
    [Fact]
    public Task FullSharedOutbox_IsAnErrorToThePusher_AndWhatWasAcceptedArrivesInOrder() =>
        PushFailureTests.AssertBackpressureAsync(cluster, expectedTarget: "all instances (shared channel)");
}

/// <summary>The failure semantics of the push path.</summary>
public sealed class PushFailureTests(SmallBuffersCluster cluster) : IClassFixture<SmallBuffersCluster>
{
    private IClientPush PushFrom(HubInstance instance) => instance.Services.GetRequiredService<IClientPush>();

    [Theory]
    [InlineData("no-slash")]
    [InlineData("a/b/c")]
    [InlineData("/connection")]
    [InlineData("instance/")]
    [InlineData("bad instance/connection")]
    [InlineData("")]
    public async Task MalformedClientId_IsAnErrorToThePusher_AndNobodyIsSentAnything(string malformed)
    {
        await using var valid = await TestClient.ConnectAsync(cluster.B, "valid", listenTo: "Ping");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PushFrom(cluster.A).PushToClientsAsync([valid.ClientId, malformed], "Ping", "first"));
        await PushFrom(cluster.A).PushToClientAsync(valid.ClientId, "Ping", "second");

        Assert.Contains($"Invalid client ID '{malformed}'", error.Message);
        Assert.Equal("second", (await valid.NextAsync("Ping")).GetString());
    }

    [Fact]
    public async Task PushToAnInstanceNobodyHears_IsTriedAgainForAFewSeconds_ThenDroppedAndCounted()
    {
        // "hub-gone" never beat: not known gone, so it may be an instance re-subscribing; nobody ever hears it.
        var metrics = cluster.A.Metrics;
        var (droppedBefore, publishedBefore) = (metrics.DroppedInstanceGone, metrics.Published);

        await PushFrom(cluster.A).PushToClientsAsync(["hub-gone/c1", "hub-gone/c2", "hub-gone/c3"], "Ping", "anyone there?");

        await Eventually.TrueAsync(() => metrics.DroppedInstanceGone == droppedBefore + 3, "3 deliveries to the unheard instance counted as dropped");
        Assert.Equal(publishedBefore + 1 + InstanceOutbox.UnheardRetries, metrics.Published);
    }

    [Fact]
    public Task FullOutbox_IsAnErrorToThePusher_AndWhatWasAcceptedArrivesInOrder() =>
        AssertBackpressureAsync(cluster, expectedTarget: cluster.B.InstanceId);

    /// <summary>
    /// While Redis holds every PUBLISH, the outbox from A fills (a batch of publishes waits on Redis, then
    /// <see cref="SmallBuffersCluster.OutboxCapacity"/> more queue) and the next push is refused; once Redis lets go,
    /// everything accepted arrives, in order, and pushes flow again.
    /// </summary>
    internal static async Task AssertBackpressureAsync(ClusterFixture cluster, string expectedTarget)
    {
        await using var target = await TestClient.ConnectAsync(cluster.B, "target", listenTo: "Seq");
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        var accepted = 0;
        PushBackpressureException? refused = null;

        await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "3000", "WRITE");
        try
        {
            for (var i = 0; i < 500 && refused is null; i++)
            {
                try
                {
                    await push.PushToClientAsync(target.ClientId, "Seq", i);
                    accepted++;
                }
                catch (PushBackpressureException e)
                {
                    refused = e;
                }
            }
        }
        finally
        {
            await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        Assert.NotNull(refused);
        Assert.Equal([expectedTarget], refused.InstanceIds);
        Assert.Contains($"the outgoing buffer of {SmallBuffersCluster.OutboxCapacity} messages is full", refused.Message);
        for (var i = 0; i < accepted; i++)
        {
            Assert.Equal(i, (await target.NextAsync("Seq")).GetInt32());
        }
        await push.PushToClientAsync(target.ClientId, "Seq", -1);
        Assert.Equal(-1, (await target.NextAsync("Seq")).GetInt32());
    }

    [Fact]
    public async Task StuckClient_IsDisconnected_AndDoesNotDelayTheOthersOnItsInstance()
    {
        await using var stuck = await StuckClient.ConnectAsync(cluster.B, "stuck");
        await using var reader = await TestClient.ConnectAsync(cluster.B, "reader", listenTo: "Bulk");
        var push = PushFrom(cluster.B);
        var payload = new string('x', 32 * 1024);
        var slowBefore = cluster.B.Metrics.SlowClients;
        const int messages = 1000;
        const int Batch = 16;

        // 32 MB: more than the loopback socket buffers and the transport pipe can hold for the stuck client. The pushes
        // keep pace with the reader, which is never more than a batch behind; the stuck client falls further behind each batch.
        for (var sent = 0; sent < messages;)
        {
            for (var i = 0; i < Batch; i++, sent++)
            {
                await push.PushToClientsAsync([stuck.ClientId, reader.ClientId], "Bulk", payload);
            }
            await Eventually.TrueAsync(() => reader.Pending("Bulk") == sent, $"the reading client receives message {sent} of {messages}");
        }

        Assert.Equal(slowBefore + 1, cluster.B.Metrics.SlowClients);
    }

    [Fact]
    public async Task StuckClient_IsDisconnected_WhenItsWritesWaitLongerThanTheTimeout_FarBelowTheByteLimit()
    {
        await using var cluster = await ClusterFixture.StartAsync("Push:SlowClientBufferBytes=1073741824", "Push:SlowClientTimeout=00:00:01");
        await using var stuck = await StuckClient.ConnectAsync(cluster.A, "stuck");
        var push = PushFrom(cluster.A);
        var payload = new string('x', 32 * 1024);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);

        // Once the socket buffers are full, writes wait; a second after the first of them, the next write closes it.
        var sent = 0;
        while (cluster.A.Metrics.SlowClients == 0 && DateTime.UtcNow < deadline && sent < 5000)
        {
            await push.PushToClientAsync(stuck.ClientId, "Bulk", payload);
            sent++;
            await Task.Delay(5);
        }

        Assert.Equal(1, cluster.A.Metrics.SlowClients);
        Assert.True(sent * payload.Length < 1073741824 / 8, $"disconnected by time after {sent} pushes, not by bytes");
    }
}

/// <summary><c>Cluster:SocketSendBufferBytes</c>: what the kernel holds for a client that does not read.</summary>
public sealed class SocketSendBufferTests
{
    [Fact]
    public async Task WithASmallSocketSendBuffer_AStuckClientsBacklogStaysInTheServersQueues()
    {
        await using var instance = await HubInstance.StartAsync(null, "Cluster:SocketSendBufferBytes=16384");
        await using var stuck = await StuckClient.ConnectAsync(instance, "stuck");
        var push = instance.Services.GetRequiredService<IClientPush>();
        var payload = new string('x', 64 * 1024);

        // 1 MiB, of which a 16 KiB send buffer, SignalR's pipe (64 KiB) and the client's unread receive window hold
        // little; with the kernel's own sizing its send buffer grows to take all of it.
        for (var i = 0; i < 16; i++)
        {
            await push.PushToClientAsync(stuck.ClientId, "Bulk", payload);
        }

        await Eventually.TrueAsync(() => instance.Metrics.BacklogBytes >= 512 * 1024, "half of it queued on the connection, on the server");
    }

    [Fact]
    public async Task ASocketSendBufferUnder4KiB_StopsStartup_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HubInstance.StartAsync(null, "Cluster:SocketSendBufferBytes=1000"));

        Assert.Contains("Cluster:SocketSendBufferBytes must be at least 4096 when set; it is 1000.", error.Message);
    }
}
