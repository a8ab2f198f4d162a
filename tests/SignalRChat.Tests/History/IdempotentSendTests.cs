using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.History;

/// <summary>Sends with a <c>clientMessageId</c>: a repeat returns the stored message and stores and pushes nothing,
/// in rooms, guilds and direct messages, and after the channel moved to a new activation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotentSendTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ARepeatedRoomSend_ReturnsTheStoredMessage_AndStoresAndPushesNothing()
    {
        const string room = "ChatRoom-idem";
        await using var ann = await TestClient.ConnectAsync(cluster.A, "idem-ann");
        await using var bob = await TestClient.ConnectAsync(cluster.B, "idem-bob", Protocol.MessagePack);
        await ann.CallAsync(room, "Join");
        await bob.CallAsync(room, "Join");

        var first = await ann.CallAsync(room, "SendMessage", new { text = "once", clientMessageId = "m-1" });
        var again = await ann.CallAsync(room, "SendMessage", new { text = "once", clientMessageId = "m-1" });
        // The same ID from another user is their own message.
        var bobs = await bob.CallAsync(room, "SendMessage", new { text = "mine", clientMessageId = "m-1" });
        var after = await ann.CallAsync(room, "SendMessage", new { text = "next", clientMessageId = "m-2" });

        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal(2, bobs.GetProperty("seq").GetInt64());
        Assert.Equal(3, after.GetProperty("seq").GetInt64());
        Assert.Equal(["once", "mine", "next"], Texts(await ann.CallAsync(room, "GetMessages", new { afterSeq = 0 })));
        // bob was pushed "once" and "next", each once: the next push after "once" is "next".
        Assert.Equal("once", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());
        Assert.Equal("next", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task ConcurrentRepeats_StoreOnce()
    {
        const string guild = "Guild-idem";
        await using var ann = await TestClient.ConnectAsync(cluster.A, "idem-gil");
        await ann.CreateAsync("Guild", guild, new { name = "Idem" });

        var sent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ann.CallAsync(guild, "SendMessage", new { text = "dup?", clientMessageId = "same" })));

        Assert.All(sent, m => Assert.Equal(1, m.GetProperty("seq").GetInt64()));
        Assert.Equal(1, (await ann.CallAsync(guild, "GetMessages", new { afterSeq = 0 })).GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task ARepeatedDirectMessage_IsStoredAndDeliveredOnce()
    {
        await using var cy = await TestClient.ConnectAsync(cluster.A, "idem-cy");
        await using var di = await TestClient.ConnectAsync(cluster.B, "idem-di");
        di.Listen("DirectMessage");

        var first = await cy.CallAsync("Player-idem-cy", "SendDirect", new { to = "idem-di", text = "hi", clientMessageId = "d1" });
        var again = await cy.CallAsync("Player-idem-cy", "SendDirect", new { to = "idem-di", text = "hi", clientMessageId = "d1" });
        await cy.CallAsync("Player-idem-cy", "SendDirect", new { to = "idem-di", text = "bye", clientMessageId = "d2" });

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal("hi", (await di.NextAsync("DirectMessage")).GetProperty("text").GetString());
        Assert.Equal("bye", (await di.NextAsync("DirectMessage")).GetProperty("text").GetString());
        var page = await di.CallAsync("Player-idem-di", "GetDirectMessages", new { with = "idem-cy" });
        Assert.Equal(["hi", "bye"], Texts(page));
    }

    [Fact]
    public async Task ARetryAfterTheRoomsHostRestarted_FindsTheStoredMessage_AndStoresNothing()
    {
        // The outcome a client could not learn: its send was stored, then every instance restarted. The retry reaches a
        // new activation, which knows the key from the log.
        await using var own = await ClusterFixture.StartAsync();
        const string room = "ChatRoom-idem-restart";
        JsonElement first;
        await using (var gus = await TestClient.ConnectAsync(own.A, "idem-gus"))
        {
            await gus.CallAsync(room, "Join");
            first = await gus.CallAsync(room, "SendMessage", new { text = "did it land?", clientMessageId = "retry-me" });
        }
        await own.RestartInstancesAsync();

        await using var back = await TestClient.ConnectAsync(own.B, "idem-gus");
        await back.CallAsync(room, "Join");
        var retried = await back.CallAsync(room, "SendMessage", new { text = "did it land?", clientMessageId = "retry-me" });

        Assert.Equal(first.GetRawText(), retried.GetRawText());
        Assert.Equal(1, (await back.CallAsync(room, "GetMessages", new { afterSeq = 0 })).GetProperty("lastSeq").GetInt64());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task ABadClientMessageId_IsRefused_AndStoresNothing(string id)
    {
        const string room = "ChatRoom-idem-bad";
        await using var ed = await TestClient.ConnectAsync(cluster.A, "idem-ed");
        await ed.CallAsync(room, "Join");

        var error = await Assert.ThrowsAsync<HubException>(() => ed.CallAsync(room, "SendMessage", new { text = "x", clientMessageId = id }));
        var direct = await Assert.ThrowsAsync<HubException>(() => ed.CallAsync("Player-idem-ed", "SendDirect", new { to = "idem-fi", text = "x", clientMessageId = id }));

        Assert.Contains("clientMessageId must be 1-64 ASCII letters, digits, '-', '_', '.' or ':'; it was", error.Message);
        Assert.Contains("clientMessageId must be 1-64", direct.Message);
        Assert.Equal(0, (await ed.CallAsync(room, "GetMessages", new { afterSeq = 0 })).GetProperty("lastSeq").GetInt64());
        Assert.False(error.Message.Contains("[temporary]", StringComparison.Ordinal));
    }

    private static IEnumerable<string?> Texts(JsonElement page) => page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString());
}
