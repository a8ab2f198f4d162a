using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Channels;

/// <summary>Direct messages over two instances: delivery to every connection, offline recipients, delivery
/// confirmations, blocking, and bad input.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DirectMessageTests(ClusterFixture cluster)
{
    [Fact]
    public async Task SendDirect_ReachesEveryConnectionOfTheRecipient_AndTheSendersOtherConnections()
    {
        await using var ann = await TestClient.ConnectAsync(cluster.A, "dm-ann");
        await using var annOnB = await TestClient.ConnectAsync(cluster.B, "dm-ann");
        await using var ben = await TestClient.ConnectAsync(cluster.B, "dm-ben", Protocol.MessagePack);
        await using var benOnA = await TestClient.ConnectAsync(cluster.A, "dm-ben");
        foreach (var client in new[] { annOnB, ben, benOnA })
        {
            client.Listen("DirectMessage");
        }

        var sent = await ann.CallAsync("Player-dm-ann", "SendDirect", new { to = "dm-ben", text = "psst" });

        Assert.Equal("dm-ann:dm-ben", sent.GetProperty("conversation").GetString());
        Assert.Equal("dm-ann:dm-ben#1", sent.GetProperty("id").GetString());
        foreach (var client in new[] { annOnB, ben, benOnA })
        {
            var received = await client.NextAsync("DirectMessage");
            Assert.Equal(sent.GetProperty("id").GetString(), received.GetProperty("id").GetString());
            Assert.Equal("dm-ann", received.GetProperty("from").GetString());
            Assert.Equal("dm-ben", received.GetProperty("to").GetString());
            Assert.Equal("psst", received.GetProperty("text").GetString());
        }
        var page = await ben.CallAsync("Player-dm-ben", "GetDirectMessages", new { with = "dm-ann" });
        Assert.Equal(["psst"], Texts(page));
    }

    [Fact]
    public async Task MessagesToAnOfflineUser_AreKept_AndReadInOrderWhenTheyComeBack()
    {
        await using (var cal = await TestClient.ConnectAsync(cluster.A, "dm-cal"))
        {
            for (var i = 1; i <= 3; i++)
            {
                await cal.CallAsync("Player-dm-cal", "SendDirect", new { to = "dm-dee", text = $"note {i}" });
            }
        }

        await using var dee = await TestClient.ConnectAsync(cluster.B, "dm-dee");
        var inbox = (await dee.CallAsync("Player-dm-dee", "GetInbox")).GetProperty("conversations").EnumerateArray().ToList();
        var page = await dee.CallAsync("Player-dm-dee", "GetDirectMessages", new { with = "dm-cal", afterSeq = 0 });

        var entry = Assert.Single(inbox);
        Assert.Equal("dm-cal", entry.GetProperty("with").GetString());
        Assert.Equal(3, entry.GetProperty("lastSeq").GetInt64());
        Assert.Equal("note 3", entry.GetProperty("last").GetProperty("text").GetString());
        Assert.Equal(["note 1", "note 2", "note 3"], Texts(page));
        Assert.All(page.GetProperty("messages").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("deliveredAt").ValueKind));
    }

    [Fact]
    public async Task Ack_TellsTheSenderOnAnotherInstanceExactlyOncePerMessage_AndReadsShowDeliveredAt()
    {
        await using var eve = await TestClient.ConnectAsync(cluster.A, "dm-eve");
        await using var eveAgain = await TestClient.ConnectAsync(cluster.A, "dm-eve");
        await using var fay = await TestClient.ConnectAsync(cluster.B, "dm-fay");
        await using var fayOnA = await TestClient.ConnectAsync(cluster.A, "dm-fay");
        eve.Listen("Delivered");
        eveAgain.Listen("Delivered");
        var first = await eve.CallAsync("Player-dm-eve", "SendDirect", new { to = "dm-fay", text = "one" });
        var id = first.GetProperty("id").GetString()!;

        // Both of fay's connections acknowledge, twice: one confirmation.
        var acks = await Task.WhenAll(
            fay.CallAsync("Player-dm-fay", "Ack", new { ids = new[] { id, id } }),
            fayOnA.CallAsync("Player-dm-fay", "Ack", new { ids = new[] { id } }));
        Assert.Equal(1, acks.Sum(a => a.GetProperty("confirmed").GetInt32()));
        var second = await eve.CallAsync("Player-dm-eve", "SendDirect", new { to = "dm-fay", text = "two" });
        await fay.CallAsync("Player-dm-fay", "Ack", new { ids = new[] { second.GetProperty("id").GetString() } });

        foreach (var connection in new[] { eve, eveAgain })
        {
            var delivered = await connection.NextAsync("Delivered");
            Assert.Equal(id, delivered.GetProperty("id").GetString());
            Assert.Equal("dm-fay", delivered.GetProperty("to").GetString());
            // Pushes from one conversation arrive in order: a second Delivered for the first message would come here.
            Assert.Equal(second.GetProperty("id").GetString(), (await connection.NextAsync("Delivered")).GetProperty("id").GetString());
        }
        var page = await eve.CallAsync("Player-dm-eve", "GetDirectMessages", new { with = "dm-fay" });
        Assert.All(page.GetProperty("messages").EnumerateArray(), m => Assert.True(m.GetProperty("deliveredAt").GetInt64() >= m.GetProperty("timestamp").GetInt64()));
    }

    [Fact]
    public async Task Ack_OfOwnForeignOrUnknownMessages_ConfirmsNothing()
    {
        await using var gus = await TestClient.ConnectAsync(cluster.A, "dm-gus");
        await using var hal = await TestClient.ConnectAsync(cluster.B, "dm-hal");
        await using var ivy = await TestClient.ConnectAsync(cluster.B, "dm-ivy");
        gus.Listen("Delivered");
        var sent = await gus.CallAsync("Player-dm-gus", "SendDirect", new { to = "dm-hal", text = "for hal" });
        var id = sent.GetProperty("id").GetString()!;

        Assert.Equal(0, (await gus.CallAsync("Player-dm-gus", "Ack", new { ids = new[] { id } })).GetProperty("confirmed").GetInt32());
        Assert.Equal(0, (await ivy.CallAsync("Player-dm-ivy", "Ack", new { ids = new[] { id } })).GetProperty("confirmed").GetInt32());
        Assert.Equal(0, (await hal.CallAsync("Player-dm-hal", "Ack", new { ids = new[] { "dm-gus:dm-hal#99", "dm-hal:dm-gus#1" } })).GetProperty("confirmed").GetInt32());
        var error = await Assert.ThrowsAsync<HubException>(() => hal.CallAsync("Player-dm-hal", "Ack", new { ids = new[] { id, "seventeen" } }));
        Assert.Contains("ids[1] 'seventeen' is not a message ID; IDs look like 'alice:bob#17' or 'system#3'.", error.Message);

        // Now the real recipient: the first Delivered gus gets is this one.
        await hal.CallAsync("Player-dm-hal", "Ack", new { ids = new[] { id } });
        Assert.Equal(id, (await gus.NextAsync("Delivered")).GetProperty("id").GetString());
        Assert.Equal(0, gus.Pending("Delivered"));
    }

    [Fact]
    public async Task Block_RefusesTheBlockedUsersMessages_SayingNoMore_UntilUnblocked()
    {
        await using var jo = await TestClient.ConnectAsync(cluster.A, "dm-jo");
        await using var kai = await TestClient.ConnectAsync(cluster.B, "dm-kai");
        await kai.CallAsync("Player-dm-kai", "Block", new { user = "dm-jo" });

        var refused = await Assert.ThrowsAsync<HubException>(() => jo.CallAsync("Player-dm-jo", "SendDirect", new { to = "dm-kai", text = "hello?" }));
        var own = await Assert.ThrowsAsync<HubException>(() => kai.CallAsync("Player-dm-kai", "SendDirect", new { to = "dm-jo", text = "hi" }));

        Assert.EndsWith("You cannot send to this user.", refused.Message);
        Assert.Contains("You blocked dm-jo; unblock them to send.", own.Message);
        Assert.Empty(Texts(await kai.CallAsync("Player-dm-kai", "GetDirectMessages", new { with = "dm-jo" })));
        await kai.CallAsync("Player-dm-kai", "Unblock", new { user = "dm-jo" });
        await jo.CallAsync("Player-dm-jo", "SendDirect", new { to = "dm-kai", text = "hello again" });
        Assert.Equal(["hello again"], Texts(await kai.CallAsync("Player-dm-kai", "GetDirectMessages", new { with = "dm-jo" })));
    }

    [Fact]
    public async Task MarkRead_MovesOnlyForward_CountsUnread_AndTellsTheOtherUser()
    {
        await using var quin = await TestClient.ConnectAsync(cluster.A, "dm-quin");
        await using var rosa = await TestClient.ConnectAsync(cluster.B, "dm-rosa");
        quin.Listen("ReadUpTo");
        for (var i = 1; i <= 3; i++)
        {
            await quin.CallAsync("Player-dm-quin", "SendDirect", new { to = "dm-rosa", text = $"q{i}" });
        }
        await rosa.CallAsync("Player-dm-rosa", "SendDirect", new { to = "dm-quin", text = "r4" });
        await quin.CallAsync("Player-dm-quin", "SendDirect", new { to = "dm-rosa", text = "q5" });
        Assert.Equal(4, Inbox(await rosa.CallAsync("Player-dm-rosa", "GetInbox")).GetProperty("unread").GetInt32());
        Assert.Equal(1, Inbox(await quin.CallAsync("Player-dm-quin", "GetInbox")).GetProperty("unread").GetInt32());

        var marked = await rosa.CallAsync("Player-dm-rosa", "MarkRead", new { with = "dm-quin", seq = 4 });
        var back = await rosa.CallAsync("Player-dm-rosa", "MarkRead", new { with = "dm-quin", seq = 2 });
        var past = await rosa.CallAsync("Player-dm-rosa", "MarkRead", new { with = "dm-quin", seq = 99 });

        Assert.Equal(4, marked.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(4, back.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(5, past.GetProperty("lastReadSeq").GetInt64());
        var told = await quin.NextAsync("ReadUpTo");
        Assert.Equal("dm-quin:dm-rosa", told.GetProperty("room").GetString());
        Assert.Equal("dm-rosa", told.GetProperty("user").GetString());
        Assert.Equal(4, told.GetProperty("seq").GetInt64());
        Assert.Equal(5, (await quin.NextAsync("ReadUpTo")).GetProperty("seq").GetInt64());
        var inbox = Inbox(await rosa.CallAsync("Player-dm-rosa", "GetInbox"));
        Assert.Equal(0, inbox.GetProperty("unread").GetInt32());
        Assert.Equal(5, inbox.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(5, Inbox(await quin.CallAsync("Player-dm-quin", "GetInbox")).GetProperty("theirLastReadSeq").GetInt64());
        // Moving back told nobody anything: the next ReadUpTo quin gets is a real move.
        await quin.CallAsync("Player-dm-quin", "SendDirect", new { to = "dm-rosa", text = "q6" });
        await rosa.CallAsync("Player-dm-rosa", "MarkRead", new { with = "dm-quin", seq = 6 });
        Assert.Equal(6, (await quin.NextAsync("ReadUpTo")).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task TypingTo_ReachesTheOtherUserOnly_AndIsNeverStored()
    {
        await using var sol = await TestClient.ConnectAsync(cluster.A, "dm-sol");
        await using var tam = await TestClient.ConnectAsync(cluster.B, "dm-tam");
        tam.Listen("Typing");

        await sol.CallAsync("Player-dm-sol", "TypingTo", new { user = "dm-tam" });

        var typing = await tam.NextAsync("Typing");
        Assert.Equal("dm-sol:dm-tam", typing.GetProperty("room").GetString());
        Assert.Equal("dm-sol", typing.GetProperty("user").GetString());
        Assert.Equal(0, (await tam.CallAsync("Player-dm-tam", "GetDirectMessages", new { with = "dm-sol" })).GetProperty("lastSeq").GetInt64());
    }

    [Theory]
    [InlineData("TypingTo", "{\"user\":\"dm-lu\"}", "You cannot type to yourself.")]
    [InlineData("MarkRead", "{\"with\":\"dm-mo\",\"seq\":0}", "seq must be positive; it was 0.")]
    [InlineData("SendDirect", "{\"to\":\"dm-lu\",\"text\":\"me\"}", "You cannot send to yourself.")]
    [InlineData("SendDirect", "{\"to\":\"no one\",\"text\":\"hi\"}", "to may hold only letters, digits, '_', '-' and '.' (ASCII).")]
    [InlineData("SendDirect", "{\"to\":\"dm-mo\",\"text\":\"   \"}", "text must not be empty.")]
    [InlineData("GetDirectMessages", "{\"with\":\"dm-mo\",\"limit\":0}", "limit must be between 1 and 200; it was 0.")]
    [InlineData("Block", "{\"user\":\"dm-lu\"}", "You cannot block yourself.")]
    public async Task BadInput_IsRefusedWithTheReason(string method, string args, string expected)
    {
        await using var lu = await TestClient.ConnectAsync(cluster.A, "dm-lu");

        var error = await Assert.ThrowsAsync<HubException>(() => lu.CallAsync("Player-dm-lu", method, JsonDocument.Parse(args).RootElement));

        Assert.Contains(expected, error.Message);
        Assert.Empty((await lu.CallAsync("Player-dm-lu", "GetInbox")).GetProperty("conversations").EnumerateArray());
    }

    [Fact]
    public async Task Ack_OfMoreThanAHundredIds_IsRefused()
    {
        await using var ned = await TestClient.ConnectAsync(cluster.B, "dm-ned");

        var error = await Assert.ThrowsAsync<HubException>(() => ned.CallAsync("Player-dm-ned", "Ack",
            new { ids = Enumerable.Range(1, 101).Select(i => $"dm-a:dm-ned#{i}").ToArray() }));

        Assert.Contains("ids holds 101 IDs; the limit is 100 per call.", error.Message);
    }

    [Fact]
    public async Task AnotherUsersPlayer_CannotSendOrReadTheirMessages()
    {
        await using var ola = await TestClient.ConnectAsync(cluster.A, "dm-ola");

        var error = await Assert.ThrowsAsync<HubException>(() => ola.CallAsync("Player-dm-pat", "GetDirectMessages", new { with = "dm-ola" }));

        Assert.Contains("Player-dm-pat belongs to another user; call your own Player-dm-ola.", error.Message);
    }

    private static JsonElement Inbox(JsonElement inbox) => Assert.Single(inbox.GetProperty("conversations").EnumerateArray().ToList());

    private static IEnumerable<string?> Texts(JsonElement page) => page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString());
}
