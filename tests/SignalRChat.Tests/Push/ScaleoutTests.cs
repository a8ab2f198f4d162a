using Microsoft.AspNetCore.SignalR;
using SignalRChat.Load.Crowd;
using SignalRChat.Push.Internal;
using SignalRChat.Tests.Infrastructure;
using StackExchange.Redis;

namespace SignalRChat.Tests.Push;

/// <summary>
/// What only a cluster has, after SignalR's <c>ScaleoutHubLifetimeManagerTests</c>: group changes and client results
/// between instances, sends that must not cross the backplane, and what a send costs Redis.
/// </summary>
public sealed class ScaleoutTests(TwoInstancePair pair) : IClassFixture<TwoInstancePair>
{
    private BackplaneServer A => pair.Sender;

    private BackplaneServer B => pair.Holder;

    private static string NewName(string what) => $"{what}-{Guid.NewGuid():N}";

    [Fact]
    public async Task ASendToALocalConnection_IsNotPublished_AndArrivesOnce()
    {
        await using var client = await PlainClient.ConnectAsync(B);
        var published = B.Metrics.Published;

        await B.Hub.Clients.Client(client.ClientId).SendAsync("Hello", "local");
        await B.Hub.Clients.Client(client.ConnectionId).SendAsync("Hello", "local again");

        Assert.Equal("local", await client.NextAsync());
        Assert.Equal("local again", await client.NextAsync());
        Assert.Equal(published, B.Metrics.Published);
    }

    [Fact]
    public async Task AddedToAGroupFromBothInstances_ReceivesOnce_AndRemovedFromTheOther_ReceivesNoMore()
    {
        var group = NewName("group");
        await using var client = await PlainClient.ConnectAsync(B);

        await B.Hub.Groups.AddToGroupAsync(client.ConnectionId, group);
        await A.Hub.Groups.AddToGroupAsync(client.ClientId, group);
        await A.Hub.Clients.Group(group).SendAsync("Hello", "once");
        await A.Hub.Groups.RemoveFromGroupAsync(client.ConnectionId, group); // a plain ID of the other instance
        await A.Hub.Clients.Group(group).SendAsync("Hello", "not any more");
        await A.Hub.Clients.Client(client.ClientId).SendAsync("Hello", "sentinel");

        Assert.Equal("once", await client.NextAsync());
        Assert.Equal("sentinel", await client.NextAsync());
    }

    /// <summary>At once where an instance answers that it does not hold the connection; towards an instance nobody
    /// hears, once its publishes have gone unheard (<see cref="InstanceOutbox.UnheardWindow"/>), never hanging.</summary>
    [Fact]
    public async Task GroupChanges_ForConnectionsThatAreNotThere_CompleteWithoutWaitingForAnAnswer()
    {
        var group = NewName("group");
        await using var client = await PlainClient.ConnectAsync(B);

        await A.Hub.Groups.RemoveFromGroupAsync(client.ClientId, group).WaitAsync(TimeSpan.FromSeconds(5)); // never in it
        await A.Hub.Groups.AddToGroupAsync("no-such-connection", group).WaitAsync(TimeSpan.FromSeconds(5));
        await A.Hub.Groups.AddToGroupAsync($"{B.InstanceId}/no-such-connection", group).WaitAsync(TimeSpan.FromSeconds(5));
        // Bounded by the unheard retries, plus what a loaded machine adds to them.
        await A.Hub.Groups.AddToGroupAsync("hub-gone/connection", group).WaitAsync(InstanceOutbox.UnheardWindow + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ClientResults_FromBothInstances_UseTheirOwnIds_AndEachGetsItsAnswer()
    {
        await using var client = await PlainClient.ConnectAsync(B, protocol: Protocol.MessagePack);
        var release = new TaskCompletionSource();
        client.Answer = async question =>
        {
            await release.Task;
            return question == "from A" ? 2 : 5;
        };

        var fromA = A.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "from A", CancellationToken.None);
        var fromB = B.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "from B", CancellationToken.None);
        await client.NextQuestionAsync();
        await client.NextQuestionAsync();
        release.SetResult();

        Assert.Equal(2, await fromA.WaitAsync(Eventually.DefaultTimeout));
        Assert.Equal(5, await fromB.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task AClientResultOfTheWrongType_IsAHubException_OnTheCallersInstance()
    {
        await using var client = await PlainClient.ConnectAsync(B);
        client.Answer = _ => Task.FromResult<object?>("wrong type");

        var error = await Assert.ThrowsAsync<HubException>(() =>
            A.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "test", CancellationToken.None).WaitAsync(Eventually.DefaultTimeout));

        Assert.StartsWith("Error trying to deserialize result to Int32.", error.Message);
    }

    [Fact]
    public async Task AClientResultForAConnectionNoInstanceHolds_FailsAtOnce()
    {
        var error = await Assert.ThrowsAsync<IOException>(() =>
            A.Hub.Clients.Client("1234").InvokeAsync<int>("Result", "test", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal("Connection '1234' does not exist.", error.Message);
    }

    [Fact]
    public async Task TwoHubTypes_NeverSeeEachOthersSends_EvenWithTheSameGroupName()
    {
        var group = NewName("group");
        await using var conformance = await PlainClient.ConnectAsync(B);
        await using var other = await PlainClient.ConnectAsync(B, hub: "/other");
        await A.Hub.Groups.AddToGroupAsync(conformance.ClientId, group);
        await A.Other.Groups.AddToGroupAsync(other.ClientId, group);

        await A.Hub.Clients.All.SendAsync("Hello", "conformance, all");
        await A.Hub.Clients.Group(group).SendAsync("Hello", "conformance, group");
        await A.Other.Clients.All.SendAsync("Hello", "other, all");

        Assert.Equal("conformance, all", await conformance.NextAsync());
        Assert.Equal("conformance, group", await conformance.NextAsync());
        Assert.Equal("other, all", await other.NextAsync());
        await A.Other.Clients.Group(group).SendAsync("Hello", "other, group");
        Assert.Equal("other, group", await other.NextAsync());
        Assert.Equal(0, conformance.Pending);
    }

    [Fact]
    public async Task QueuedBroadcasts_ReachEveryConnectionInOrder_JoinedIntoRuns()
    {
        const int broadcasts = 300;
        await using var json = await PlainClient.ConnectAsync(B);
        await using var messagePack = await PlainClient.ConnectAsync(B, protocol: Protocol.MessagePack);
        var (delivered, writes) = (B.Metrics.Delivered, B.Metrics.Writes);
        var redis = pair.Redis!;

        // While Redis holds writes, A's broadcasts queue and then leave in a few publishes; B writes each run at once.
        await redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "500", "WRITE");
        for (var i = 0; i < broadcasts; i++)
        {
            await A.Hub.Clients.All.SendAsync("Hello", $"{i}");
        }

        foreach (var client in new[] { json, messagePack })
        {
            for (var i = 0; i < broadcasts; i++)
            {
                Assert.Equal($"{i}", await client.NextAsync());
            }
        }
        Assert.Equal(2 * broadcasts, B.Metrics.Delivered - delivered);
        Assert.InRange(B.Metrics.Writes - writes, 2, 2 * broadcasts / 10);
    }

    [Fact]
    public async Task Subscriptions_StayConstant_AndConnectsCostNoRedisCommand_Under1000ConnectionsAnd100Groups()
    {
        var redis = pair.Redis!;
        // One connection to each hub on each instance first: each instance subscribes a hub's two channels on its first connection.
        await using var first = await PlainClient.ConnectAsync(A);
        await using var second = await PlainClient.ConnectAsync(B);
        await using var third = await PlainClient.ConnectAsync(A, hub: "/other");
        await using var fourth = await PlainClient.ConnectAsync(B, hub: "/other");
        var (channels, subscriptions) = await SubscriptionsAsync(redis);
        Assert.Equal(6, channels); // per hub: A's and B's instance channels, and the shared one
        var commands = await CommandsProcessedAsync(redis);

        var crowd = new List<MinimalHubClient>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                crowd.Add(await MinimalHubClient.ConnectAsync($"{(i % 2 == 0 ? A : B).Url}/conformance", "", HubFrames.For(false), new NoSink()));
            }
            var connectCommands = await CommandsProcessedAsync(redis) - commands - 1; // less the INFO that read the first count
            for (var i = 0; i < crowd.Count; i++)
            {
                await (i % 2 == 0 ? A : B).Hub.Groups.AddToGroupAsync(crowd[i].ClientId, $"group-{i % 100}");
            }

            Assert.Equal((channels, subscriptions), await SubscriptionsAsync(redis));
            // Heartbeats of the instance directory may fall in the window; a subscription per connection would be 1,000.
            Assert.InRange(connectCommands, 0, 20);
        }
        finally
        {
            await Task.WhenAll(crowd.Select(c => c.DisposeAsync().AsTask()));
        }
        Assert.Equal((channels, subscriptions), await SubscriptionsAsync(redis));
    }

    /// <returns>The channels with subscribers, and the subscriptions summed over every Redis client.</returns>
    private static async Task<(int Channels, int Subscriptions)> SubscriptionsAsync(RedisServer redis)
    {
        var server = redis.AdminServer;
        // Ours only: StackExchange.Redis subscribes a configuration channel of its own per connection.
        var channels = ((RedisResult[])(await server.ExecuteAsync("PUBSUB", "CHANNELS", "signalrchat:*"))!).Length;
        var clients = await server.ClientListAsync();
        return (channels, clients.Sum(c => c.SubscriptionCount));
    }

    private static async Task<long> CommandsProcessedAsync(RedisServer redis)
    {
        var info = await redis.AdminServer.InfoAsync("stats");
        return long.Parse(info.SelectMany(g => g).First(p => p.Key == "total_commands_processed").Value);
    }

    private sealed class NoSink : IInvocationSink
    {
        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
        }
    }
}
