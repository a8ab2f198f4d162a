using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Channels;

/// <summary>Read markers in channels over two instances: they only move forward, reach the other members as
/// <c>ReadUpTo</c>, and make the unread counts of <c>GetInbox</c>.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReadMarkerTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AGuildMarker_OnlyMovesForward_ReachesTheMembers_AndGivesTheInboxItsUnreadCount()
    {
        const string guild = "Guild-readers";
        await using var owner = await TestClient.ConnectAsync(cluster.A, "rd-owner");
        await using var member = await TestClient.ConnectAsync(cluster.B, "rd-member", Protocol.MessagePack);
        await owner.CreateAsync("Guild", guild, new { name = "Readers" });
        await owner.CallAsync(guild, "Invite", new { user = "rd-member" });
        await member.CallAsync(guild, "AcceptInvite");
        for (var i = 1; i <= 5; i++)
        {
            await owner.CallAsync(guild, "SendMessage", new { text = $"chapter {i}" });
        }
        owner.Listen("ReadUpTo");

        var marked = await member.CallAsync(guild, "MarkRead", new { seq = 3 });
        var back = await member.CallAsync(guild, "MarkRead", new { seq = 1 });
        var past = await member.CallAsync(guild, "MarkRead", new { seq = 99 });

        Assert.Equal(3, marked.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(3, back.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(5, past.GetProperty("lastReadSeq").GetInt64());
        var told = await owner.NextAsync("ReadUpTo");
        Assert.Equal(guild, told.GetProperty("room").GetString());
        Assert.Equal("rd-member", told.GetProperty("user").GetString());
        Assert.Equal(3, told.GetProperty("seq").GetInt64());
        // Moving back told nobody: the next one is the move to 5.
        Assert.Equal(5, (await owner.NextAsync("ReadUpTo")).GetProperty("seq").GetInt64());

        await owner.CallAsync(guild, "SendMessage", new { text = "chapter 6" });
        await owner.CallAsync(guild, "SendMessage", new { text = "chapter 7" });
        var entry = Channel(await member.CallAsync("Player-rd-member", "GetInbox"), guild);
        Assert.Equal("Readers", entry.GetProperty("title").GetString());
        Assert.Equal(7, entry.GetProperty("lastSeq").GetInt64());
        Assert.Equal(5, entry.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(2, entry.GetProperty("unread").GetInt64());
        Assert.Equal("chapter 7", entry.GetProperty("last").GetProperty("text").GetString());
        Assert.Equal($"{guild}#7", entry.GetProperty("last").GetProperty("id").GetString());
        // The owner never marked anything: the guild is listed from the day they made it, all unread.
        Assert.Equal(7, Channel(await owner.CallAsync("Player-rd-owner", "GetInbox"), guild).GetProperty("unread").GetInt64());

        await owner.CallAsync(guild, "Kick", new { user = "rd-member" });
        Assert.Empty((await member.CallAsync("Player-rd-member", "GetInbox")).GetProperty("channels").EnumerateArray());
        await Refused(member, guild, "MarkRead", new { seq = 7 }, "Only members of Guild-readers can mark it read.");
    }

    [Fact]
    public async Task ARoomMarker_ReachesMembersOnTheOtherInstance_AndListsTheRoomInTheInbox()
    {
        const string room = "ChatRoom-read-here";
        await using var ann = await TestClient.ConnectAsync(cluster.A, "rd-ann");
        await using var bob = await TestClient.ConnectAsync(cluster.B, "rd-bob");
        await using var stranger = await TestClient.ConnectAsync(cluster.B, "rd-stranger");
        await ann.CallAsync(room, "Join");
        await bob.CallAsync(room, "Join");
        bob.Listen("ReadUpTo");
        var sent = await ann.CallAsync(room, "SendMessage", new { text = "read me" });
        Assert.Equal($"{room}#1", sent.GetProperty("id").GetString());
        Assert.Equal($"{room}#1", (await bob.NextAsync("NewMessage")).GetProperty("id").GetString());

        Assert.Empty((await ann.CallAsync("Player-rd-ann", "GetInbox")).GetProperty("channels").EnumerateArray());
        await ann.CallAsync(room, "SendMessage", new { text = "and me" });
        await ann.CallAsync(room, "MarkRead", new { seq = 1 });

        var told = await bob.NextAsync("ReadUpTo");
        Assert.Equal(room, told.GetProperty("room").GetString());
        Assert.Equal("rd-ann", told.GetProperty("user").GetString());
        Assert.Equal(1, told.GetProperty("seq").GetInt64());
        var entry = Channel(await ann.CallAsync("Player-rd-ann", "GetInbox"), room);
        Assert.Equal(1, entry.GetProperty("unread").GetInt64());
        await Refused(stranger, room, "MarkRead", new { seq = 1 }, $"Join {room} before marking it read.");
        await Refused(ann, room, "MarkRead", new { seq = 0 }, "seq must be positive; it was 0.");
        Assert.Empty((await stranger.CallAsync("Player-rd-stranger", "GetInbox")).GetProperty("channels").EnumerateArray());
    }

    private static JsonElement Channel(JsonElement inbox, string room) =>
        Assert.Single(inbox.GetProperty("channels").EnumerateArray(), c => c.GetProperty("room").GetString() == room);

    private static async Task Refused(TestClient client, string objectId, string method, object? args, string expected)
    {
        var error = await Assert.ThrowsAsync<HubException>(() => client.CallAsync(objectId, method, args));
        Assert.Contains(expected, error.Message);
    }
}
