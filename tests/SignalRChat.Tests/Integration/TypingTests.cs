using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Objects.Chat;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class TypingTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Typing_ReachesTheOtherMembersOnEveryInstance_NotTheTypistsOwnConnections()
    {
        const string room = "ChatRoom-typing";
        await using var lena = await TestClient.ConnectAsync(cluster.A, "lena");
        await using var lenaOnB = await TestClient.ConnectAsync(cluster.B, "lena");
        await using var mo = await TestClient.ConnectAsync(cluster.B, "mo");
        await using var nia = await TestClient.ConnectAsync(cluster.A, "nia", Protocol.MessagePack);
        foreach (var client in new[] { lena, lenaOnB, mo, nia })
        {
            client.Listen("Typing");
            await client.CallAsync(room, "Join");
        }

        await lena.CallAsync(room, "Typing");

        foreach (var other in new[] { mo, nia })
        {
            var typing = await other.NextAsync("Typing");
            Assert.Equal(room, typing.GetProperty("room").GetString());
            Assert.Equal("lena", typing.GetProperty("user").GetString());
        }
        // Pushes to one connection arrive in order: had Typing gone to lena's other connection, it would be there first.
        await lena.CallAsync(room, "SendMessage", new { text = "marker" });
        await lenaOnB.NextAsync("NewMessage");
        Assert.Equal(0, lenaOnB.Pending("Typing"));
    }

    [Fact]
    public async Task Typing_IsThrottledPerUser_AndNeverStored()
    {
        const string room = "ChatRoom-typing-throttle";
        await using var omar = await TestClient.ConnectAsync(cluster.A, "omar");
        await using var pia = await TestClient.ConnectAsync(cluster.B, "pia");
        pia.Listen("Typing");
        await omar.CallAsync(room, "Join");
        await pia.CallAsync(room, "Join");

        var typing = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await omar.CallAsync(room, "Typing");
        }
        var within = typing.Elapsed < ChatRoom.TypingInterval;
        await omar.CallAsync(room, "SendMessage", new { text = "marker" });

        await pia.NextAsync("NewMessage");
        var delivered = pia.Drain("Typing").Count;
        // Five calls within the interval deliver one; a machine stalled past it may rightly deliver a second.
        Assert.InRange(delivered, 1, within ? 1 : 3);
        var history = await pia.CallAsync(room, "GetMessages", new { afterSeq = 0 });
        Assert.Equal(1, history.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task Typing_OutsideTheRoom_IsRefused()
    {
        await using var quinn = await TestClient.ConnectAsync(cluster.A, "quinn");

        var error = await Assert.ThrowsAsync<HubException>(() => quinn.CallAsync("ChatRoom-typing-closed", "Typing"));

        Assert.Contains("Join ChatRoom-typing-closed before typing in it.", error.Message);
    }
}
