using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class ChatAcrossInstancesTests(ClusterFixture cluster)
{
    [Theory]
    [InlineData(Protocol.Json)]
    [InlineData(Protocol.MessagePack)]
    public async Task SendMessage_MembersOnBothInstances_EveryMemberButTheSenderReceivesIt(Protocol protocol)
    {
        var room = $"ChatRoom-cross-{protocol}";
        await using var alice = await TestClient.ConnectAsync(cluster.A, "alice", protocol);
        await using var bob = await TestClient.ConnectAsync(cluster.B, "bob", protocol);
        await using var carol = await TestClient.ConnectAsync(cluster.A, "carol", protocol);
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.CallAsync(room, "Join");
        }

        var sent = await alice.CallAsync(room, "SendMessage", new { text = "hello from A" });

        foreach (var receiver in new[] { bob, carol })
        {
            var pushed = await receiver.NextAsync("NewMessage");
            Assert.Equal(room, pushed.GetProperty("room").GetString());
            Assert.Equal("alice", pushed.GetProperty("user").GetString());
            Assert.Equal("hello from A", pushed.GetProperty("text").GetString());
            Assert.Equal(sent.GetProperty("seq").GetInt64(), pushed.GetProperty("seq").GetInt64());
        }
        // The sender got the message as its call's result; a later push to it proves it was not also pushed this one.
        await bob.CallAsync(room, "SendMessage", new { text = "reply from B" });
        Assert.Equal("reply from B", (await alice.NextAsync("NewMessage")).GetProperty("text").GetString());
        Assert.Equal(0, alice.Pending("NewMessage"));
    }

    [Theory]
    [InlineData(HttpTransportType.ServerSentEvents, Protocol.Json)]
    [InlineData(HttpTransportType.LongPolling, Protocol.Json)]
    [InlineData(HttpTransportType.LongPolling, Protocol.MessagePack)]
    public async Task EveryTransport_CanJoinSendAndReceiveAcrossInstances(HttpTransportType transport, Protocol protocol)
    {
        var room = $"ChatRoom-transport-{transport}-{protocol}";
        await using var onA = await TestClient.ConnectAsync(cluster.A, "transport-a", protocol, transport);
        await using var onB = await TestClient.ConnectAsync(cluster.B, "transport-b", protocol, transport);
        await onA.CallAsync(room, "Join");
        await onB.CallAsync(room, "Join");

        await onA.CallAsync(room, "SendMessage", new { text = $"over {transport}" });
        await onB.CallAsync(room, "SendMessage", new { text = "and back" });

        Assert.Equal($"over {transport}", (await onB.NextAsync("NewMessage")).GetProperty("text").GetString());
        Assert.Equal("and back", (await onA.NextAsync("NewMessage")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Registered_GivesAClientIdOfTheInstanceTheClientIsConnectedTo()
    {
        await using var onA = await TestClient.ConnectAsync(cluster.A, "dave");
        await using var onB = await TestClient.ConnectAsync(cluster.B, "dave");

        Assert.Equal(cluster.A.InstanceId, onA.InstanceId);
        Assert.Equal(cluster.B.InstanceId, onB.InstanceId);
        Assert.Equal($"{cluster.A.InstanceId}/{onA.Connection.ConnectionId}", onA.ClientId);
        Assert.NotEqual(cluster.A.InstanceId, cluster.B.InstanceId);
    }

    [Fact]
    public async Task GetMessages_ReturnsStoredMessagesAfterSeq_OldestFirst()
    {
        const string room = "ChatRoom-history";
        await using var erin = await TestClient.ConnectAsync(cluster.B, "erin");
        await erin.CallAsync(room, "Join");
        for (var i = 1; i <= 5; i++)
        {
            await erin.CallAsync(room, "SendMessage", new { text = $"m{i}" });
        }

        var page = await erin.CallAsync(room, "GetMessages", new { afterSeq = 2, limit = 2 });

        Assert.Equal(["m3", "m4"], page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.Equal([3L, 4L], page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(5, page.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task Disconnect_RemovesTheClientFromTheRoomsItJoined()
    {
        const string room = "ChatRoom-leavers";
        await using var frank = await TestClient.ConnectAsync(cluster.A, "frank");
        var grace = await TestClient.ConnectAsync(cluster.B, "grace");
        await frank.CallAsync(room, "Join");
        await grace.CallAsync(room, "Join");
        Assert.Equal(["frank", "grace"], Names(await frank.CallAsync(room, "ListMembers")));

        await grace.DisposeAsync();

        await Eventually.TrueAsync(async () => Names(await frank.CallAsync(room, "ListMembers")).SequenceEqual(["frank"]),
            "grace dropped from the room after disconnecting");
    }

    [Fact]
    public async Task MemberEvents_TellMembersWhenAUserArrivesAndWhenTheirLastConnectionGoes()
    {
        const string room = "ChatRoom-presence";
        await using var host = await TestClient.ConnectAsync(cluster.A, "host", Protocol.MessagePack, listenTo: ["MemberJoined", "MemberLeft"]);
        await host.CallAsync(room, "Join");
        await using var ivanOnA = await TestClient.ConnectAsync(cluster.A, "ivan");
        await using var ivanOnB = await TestClient.ConnectAsync(cluster.B, "ivan");
        var judy = await TestClient.ConnectAsync(cluster.B, "judy");

        await ivanOnB.CallAsync(room, "Join");
        await ivanOnA.CallAsync(room, "Join"); // a second connection of a user already there: no event
        await ivanOnA.CallAsync(room, "Leave"); // ivan is still there on B: no event
        await ivanOnB.CallAsync(room, "Leave");
        await judy.CallAsync(room, "Join");
        await judy.DisposeAsync(); // a disconnect counts as leaving

        var joined = await host.NextAsync("MemberJoined");
        Assert.Equal(room, joined.GetProperty("room").GetString());
        Assert.Equal("ivan", joined.GetProperty("user").GetString());
        Assert.Equal("ivan", (await host.NextAsync("MemberLeft")).GetProperty("user").GetString());
        Assert.Equal("judy", (await host.NextAsync("MemberJoined")).GetProperty("user").GetString());
        Assert.Equal("judy", (await host.NextAsync("MemberLeft")).GetProperty("user").GetString());
        // Pushes from one room to one client arrive in order, so nothing else can still be on its way.
        Assert.Equal(0, host.Pending("MemberJoined"));
        Assert.Equal(0, host.Pending("MemberLeft"));
    }

    [Fact]
    public async Task JoinStillRunningWhenTheClientDisconnects_LeavesNoMemberBehind()
    {
        const string room = "ChatRoom-racing";
        await using var observer = await TestClient.ConnectAsync(cluster.A, "observer");
        await observer.CallAsync(room, "Join");

        for (var i = 0; i < 20; i++)
        {
            var racer = await TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, $"racer{i}");
            // The disconnect overtakes the Join: the hub's disconnect handler runs before the Join completes.
            await racer.Connection.SendAsync("Call", room, "Join", null);
            await racer.DisposeAsync();
        }

        await Eventually.TrueAsync(async () => Names(await observer.CallAsync(room, "ListMembers")).SequenceEqual(["observer"]),
            "every racer dropped from the room");
    }

    [Fact]
    public async Task Leave_StopsPushesToTheClient()
    {
        const string room = "ChatRoom-leave";
        await using var henry = await TestClient.ConnectAsync(cluster.A, "henry");
        await using var iris = await TestClient.ConnectAsync(cluster.B, "iris");
        await using var jack = await TestClient.ConnectAsync(cluster.B, "jack");
        foreach (var client in new[] { henry, iris, jack })
        {
            await client.CallAsync(room, "Join");
        }

        await iris.CallAsync(room, "Leave");
        await henry.CallAsync(room, "SendMessage", new { text = "after iris left" });

        Assert.Equal("after iris left", (await jack.NextAsync("NewMessage")).GetProperty("text").GetString());
        Assert.Equal(["henry", "jack"], Names(await henry.CallAsync(room, "ListMembers")));
        Assert.Equal(0, iris.Pending("NewMessage"));
    }

    [Fact]
    public async Task Create_MakesARoomOnce_ThenRefusesToCreateItAgain()
    {
        await using var kim = await TestClient.ConnectAsync(cluster.A, "kim");

        var created = await kim.CreateAsync("ChatRoom", "ChatRoom-created", new { title = "Kim's room" });
        var again = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => kim.CreateAsync("ChatRoom", "ChatRoom-created"));

        Assert.Equal("Kim's room", created.GetProperty("title").GetString());
        Assert.Contains("ChatRoom-created already exists.", again.Message);
    }

    private static string[] Names(JsonElement members) => members.EnumerateArray().Select(m => m.GetString()!).ToArray();
}
