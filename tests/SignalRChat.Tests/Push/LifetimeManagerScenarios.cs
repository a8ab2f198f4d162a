using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Push;

/// <summary>
/// The scenarios SignalR's own conformance suite (<c>HubLifetimeManagerTestsBase</c>) sets every lifetime manager,
/// written anew against real servers and official clients: clients connect to the pair's holder, operations are called
/// on its sender. "Does not receive" is checked with a sentinel sent afterwards to everyone, which must come next.
/// </summary>
public abstract class LifetimeManagerScenarios(BackplanePair pair)
{
    private BackplaneServer Sender => pair.Sender;

    private BackplaneServer Holder => pair.Holder;

    private static string NewName(string what) => $"{what}-{Guid.NewGuid():N}";

    [Fact]
    public async Task All_ReachesEveryConnection_OverBothProtocols()
    {
        await using var json = await PlainClient.ConnectAsync(Holder);
        await using var messagePack = await PlainClient.ConnectAsync(Holder, protocol: Protocol.MessagePack);

        await Sender.Hub.Clients.All.SendAsync("Hello", "World");

        Assert.Equal("World", await json.NextAsync());
        Assert.Equal("World", await messagePack.NextAsync());
    }

    [Fact]
    public async Task All_DoesNotReachADisconnectedConnection()
    {
        await using var staying = await PlainClient.ConnectAsync(Holder);
        var leaving = await PlainClient.ConnectAsync(Holder);
        var leftId = leaving.ClientId;
        await leaving.DisposeAsync();
        // While the connection is still being torn down, an invocation fails with "Connection disconnected." (a
        // HubException); once it is gone, with an IOException (no such connection). Wait for the latter.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return await ThrowsAsync<IOException>(() => Sender.Hub.Clients.Client(leftId).InvokeAsync<int>("Result", "x", CancellationToken.None));
            }
            catch (HubException)
            {
                return false;
            }
        }, "the manager no longer knows the closed connection");

        await Sender.Hub.Clients.All.SendAsync("Hello", "World");

        Assert.Equal("World", await staying.NextAsync());
    }

    [Fact]
    public async Task Group_ReachesItsMembersOnly()
    {
        var group = NewName("group");
        await using var member = await PlainClient.ConnectAsync(Holder);
        await using var outsider = await PlainClient.ConnectAsync(Holder);
        await Sender.Hub.Groups.AddToGroupAsync(member.ClientId, group);

        await Sender.Hub.Clients.Group(group).SendAsync("Hello", "to the group");

        Assert.Equal("to the group", await member.NextAsync());
        await AssertNextIsSentinelAsync(outsider);
    }

    [Fact]
    public async Task GroupExcept_SkipsExcludedConnections_ByClientIdOrConnectionId()
    {
        var group = NewName("group");
        await using var reached = await PlainClient.ConnectAsync(Holder);
        await using var byClientId = await PlainClient.ConnectAsync(Holder);
        await using var byConnectionId = await PlainClient.ConnectAsync(Holder);
        foreach (var client in new[] { reached, byClientId, byConnectionId })
        {
            await Sender.Hub.Groups.AddToGroupAsync(client.ClientId, group);
        }

        await Sender.Hub.Clients.GroupExcept(group, [byClientId.ClientId, byConnectionId.ConnectionId]).SendAsync("Hello", "not to you two");

        Assert.Equal("not to you two", await reached.NextAsync());
        await AssertNextIsSentinelAsync(byClientId, byConnectionId);
    }

    [Fact]
    public async Task AllExcept_SkipsExcludedConnections()
    {
        await using var reached = await PlainClient.ConnectAsync(Holder);
        await using var skipped = await PlainClient.ConnectAsync(Holder);

        await Sender.Hub.Clients.AllExcept([skipped.ClientId]).SendAsync("Hello", "not to you");

        Assert.Equal("not to you", await reached.NextAsync());
        await AssertNextIsSentinelAsync(skipped);
    }

    [Fact]
    public async Task Connection_IsReached_ByClientIdAndByPlainConnectionId()
    {
        await using var client = await PlainClient.ConnectAsync(Holder);

        await Sender.Hub.Clients.Client(client.ClientId).SendAsync("Hello", "by client ID");
        await Sender.Hub.Clients.Client(client.ConnectionId).SendAsync("Hello", "by connection ID");

        Assert.Equal(["by client ID", "by connection ID"], new[] { await client.NextAsync(), await client.NextAsync() }.Order());
    }

    [Fact]
    public async Task User_ReachesEveryConnectionOfTheUser_AndStillAfterOneOfThemLeaves()
    {
        var user = NewName("user");
        var first = await PlainClient.ConnectAsync(Holder, user);
        await using var second = await PlainClient.ConnectAsync(Holder, user);
        await using var someoneElse = await PlainClient.ConnectAsync(Holder, NewName("user"));

        await Sender.Hub.Clients.User(user).SendAsync("Hello", "both");
        Assert.Equal("both", await first.NextAsync());
        Assert.Equal("both", await second.NextAsync());
        await AssertNextIsSentinelAsync(someoneElse, first, second);

        await first.DisposeAsync();
        await Sender.Hub.Clients.User(user).SendAsync("Hello", "the one left");
        Assert.Equal("the one left", await second.NextAsync());
    }

    [Fact]
    public async Task ClientResult_ReturnsTheClientsAnswer()
    {
        await using var client = await PlainClient.ConnectAsync(Holder);

        var answer = await Sender.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "test", CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(10, answer);
        Assert.Equal("test", await client.NextQuestionAsync());
    }

    [Fact]
    public async Task ClientResult_ClientError_IsAHubExceptionWithTheClientsText()
    {
        await using var client = await PlainClient.ConnectAsync(Holder, protocol: Protocol.MessagePack);
        client.Answer = _ => throw new HubException("Error from client");

        var error = await Assert.ThrowsAsync<HubException>(() =>
            Sender.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "test", CancellationToken.None).WaitAsync(Eventually.DefaultTimeout));

        Assert.Contains("Error from client", error.Message);
    }

    [Fact]
    public async Task ClientResult_CompletedByAnotherConnection_IsRefused_AndTheRightAnswerStillCounts()
    {
        await using var asked = await RawJsonClient.ConnectAsync(Holder);
        await using var impostor = await RawJsonClient.ConnectAsync(Holder);

        var invocation = Sender.Hub.Clients.Client(asked.ClientId).InvokeAsync<int>("Result", "test", CancellationToken.None);
        var id = (await asked.NextAsync()).GetProperty("invocationId").GetString();
        await impostor.SendAsync($$"""{"type":3,"invocationId":"{{id}}","error":"not mine to answer"}""");
        await asked.SendAsync($$"""{"type":3,"invocationId":"{{id}}","result":10}""");

        Assert.Equal(10, await invocation.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task ClientResult_ForAConnectionThatDoesNotExist_IsAnIOException()
    {
        await Assert.ThrowsAsync<IOException>(() => Sender.Hub.Clients.Client("none").InvokeAsync<int>("Result", "test", CancellationToken.None).WaitAsync(Eventually.DefaultTimeout));
        await Assert.ThrowsAsync<IOException>(() => Sender.Hub.Clients.Client($"{Holder.InstanceId}/none").InvokeAsync<int>("Result", "test", CancellationToken.None).WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task ClientResults_OfTwoClients_DoNotCollide()
    {
        await using var first = await PlainClient.ConnectAsync(Holder);
        await using var second = await PlainClient.ConnectAsync(Holder);
        var firstAnswer = new TaskCompletionSource<object?>();
        first.Answer = _ => firstAnswer.Task;
        second.Answer = _ => throw new HubException("second fails");

        var one = Sender.Hub.Clients.Client(first.ClientId).InvokeAsync<int>("Result", "one", CancellationToken.None);
        var two = Sender.Hub.Clients.Client(second.ClientId).InvokeAsync<int>("Result", "two", CancellationToken.None);

        await Assert.ThrowsAsync<HubException>(() => two.WaitAsync(Eventually.DefaultTimeout));
        Assert.Equal("one", await first.NextQuestionAsync());
        Assert.False(one.IsCompleted);
        firstAnswer.SetResult(3);
        Assert.Equal(3, await one.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task ClientResult_OfAClientThatDisconnectsWithoutAnswering_FailsAtOnce()
    {
        var client = await PlainClient.ConnectAsync(Holder);
        client.Answer = _ => new TaskCompletionSource<object?>().Task; // never answers
        var invocation = Sender.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "test", CancellationToken.None);
        await client.NextQuestionAsync();

        await client.DisposeAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => invocation.WaitAsync(Eventually.DefaultTimeout));
        // As SignalR's own managers: an IOException where the connection was, a HubException from another instance.
        if (pair.AcrossInstances)
        {
            Assert.Equal("Connection disconnected.", Assert.IsType<HubException>(error).Message);
        }
        else
        {
            Assert.Equal($"Connection '{client.ClientId}' disconnected.", Assert.IsType<IOException>(error).Message);
        }
    }

    [Fact]
    public async Task ClientResult_Cancelled_IsAHubException_AndALateAnswerIsIgnored()
    {
        await using var client = await PlainClient.ConnectAsync(Holder);
        var answer = new TaskCompletionSource<object?>();
        client.Answer = _ => answer.Task;
        using var cancel = new CancellationTokenSource();
        var invocation = Sender.Hub.Clients.Client(client.ClientId).InvokeAsync<int>("Result", "test", cancel.Token);
        await client.NextQuestionAsync();

        cancel.Cancel();

        Assert.Equal("Invocation canceled by the server.", (await Assert.ThrowsAsync<HubException>(() => invocation.WaitAsync(Eventually.DefaultTimeout))).Message);
        answer.SetResult(1);
        await Sender.Hub.Clients.Client(client.ClientId).SendAsync("Hello", "still connected");
        Assert.Equal("still connected", await client.NextAsync());
    }

    /// <summary>Sends a sentinel to everyone from the sender: it must be the next thing each client receives.</summary>
    private async Task AssertNextIsSentinelAsync(params PlainClient[] clients)
    {
        var sentinel = NewName("sentinel");
        await Sender.Hub.Clients.All.SendAsync("Hello", sentinel);
        foreach (var client in clients)
        {
            Assert.Equal(sentinel, await client.NextAsync());
        }
    }

    private static async Task<bool> ThrowsAsync<T>(Func<Task> call) where T : Exception
    {
        try
        {
            await call().WaitAsync(Eventually.DefaultTimeout);
            return false;
        }
        catch (T)
        {
            return true;
        }
    }
}

/// <summary>The scenarios on one instance running alone (no Redis).</summary>
public sealed class EmbeddedLifetimeManagerTests(EmbeddedPair pair) : LifetimeManagerScenarios(pair), IClassFixture<EmbeddedPair>;

/// <summary>The scenarios on one instance with Redis.</summary>
public sealed class RedisLifetimeManagerTests(RedisPair pair) : LifetimeManagerScenarios(pair), IClassFixture<RedisPair>;

/// <summary>The scenarios across two instances: every client on one, every operation called on the other.</summary>
public sealed class ScaleoutLifetimeManagerTests(TwoInstancePair pair) : LifetimeManagerScenarios(pair), IClassFixture<TwoInstancePair>;
