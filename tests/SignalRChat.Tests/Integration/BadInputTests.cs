using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>Bad input gets a clear error; the connection stays usable, nothing is stored and no other client notices.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BadInputTests(ClusterFixture cluster)
{
    private const string Room = "ChatRoom-badinput";

    public static TheoryData<string, string, object?, string> BadCalls => new()
    {
        { "general", "Join", null, "Invalid object ID 'general': it needs a type and a key separated by '-'. Expected 'Type-key', for example 'ChatRoom-general'." },
        { "Chat Room-x", "Join", null, "Invalid object ID 'Chat Room-x': the type must start with a letter and hold only letters and digits." },
        { "Lobby-main", "Join", null, "Unknown object type 'Lobby'. Types: ChatRoom, Guild, Party, Player, World, Zone." },
        { Room, "Jion", null, "ChatRoom has no method 'Jion'. Methods: Join, Leave, SendMessage, GetMessages, ListMembers, Typing, MarkRead, Kick, Mute, Unmute, Ban, Unban, SetModerator, SetPrivate, Allow, Disallow, GetModeration." },
        { Room, "OnActivateAsync", null, "ChatRoom has no method 'OnActivateAsync'." },
        { Room, "SendMessage", new { text = 42 }, "Invalid args for ChatRoom.SendMessage: 'text' has the wrong type. Expected {text: string, clientMessageId?: string}." },
        { Room, "SendMessage", null, "Invalid args for ChatRoom.SendMessage: 'text' is missing. Expected {text: string, clientMessageId?: string}." },
        { Room, "SendMessage", new { txt = "typo" }, "Invalid args for ChatRoom.SendMessage: 'txt' is not a known field. Expected {text: string, clientMessageId?: string}." },
        { Room, "SendMessage", "just a string", "Invalid args for ChatRoom.SendMessage: args must be an object. Expected {text: string, clientMessageId?: string}." },
        { Room, "SendMessage", new { text = "   " }, "text must not be empty." },
        { Room, "SendMessage", new { text = new string('x', 4001) }, "text is 4001 characters long; the limit is 4000." },
        { Room, "GetMessages", new { limit = 0 }, "limit must be between 1 and 200; it was 0." },
        { "ChatRoom- ", "Join", null, "Invalid object ID 'ChatRoom- ': the key must not start or end with white space. Expected 'Type-key', for example 'ChatRoom-general'." },
        { "ChatRoom-abc\u202Egnp.exe", "Join", null, "Invalid object ID 'ChatRoom-abc\u202Egnp.exe': the key must be valid Unicode without bidirectional formatting characters." },
        { "ChatRoom-" + new string('x', 300), "Join", null, "Invalid object ID 'ChatRoom-" + new string('x', 71) + "…': it is longer than" },
        { Room, "SendMessage", new { text = "a\u0007b" }, "text holds a control character (U+0007) at index 1." },
        { Room, "SendMessage", new { text = "evil \u202Etxt.exe" }, "text holds a bidirectional formatting character (U+202E) at index 5: it can make text show in another order than it is read." },
        { Room, "GetMessages", new { afterSeq = "zero" }, "Invalid args for ChatRoom.GetMessages: 'afterSeq' has the wrong type. Expected {afterSeq?: integer, beforeSeq?: integer, limit?: integer}." },
    };

    [Theory]
    [InlineData(201, "title is 201 characters long; the limit is 200.")]
    [InlineData(-1, "title holds a control character (U+0007) at index 1.")]
    public async Task ABadRoomTitle_IsRefused_AndCreatesNothing(int length, string expected)
    {
        await using var maker = await TestClient.ConnectAsync(cluster.A, "title-maker");
        var room = $"ChatRoom-bad-title-{length + 1}";
        var title = length < 0 ? "a\u0007b" : new string('t', length);

        var error = await Assert.ThrowsAsync<HubException>(() => maker.CreateAsync("ChatRoom", room, new { title }));

        Assert.Contains(expected, error.Message);
        // Nothing was stored: the room can still be made, with a good title.
        var made = await maker.CreateAsync("ChatRoom", room, new { title = "  Fine  " });
        Assert.Equal("Fine", made.GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task BadCall_GetsAnErrorNamingTheProblem_AndChangesNothing(string objectId, string method, object? args, string expected)
    {
        await using var sender = await TestClient.ConnectAsync(cluster.A, "mallory");
        await using var member = await TestClient.ConnectAsync(cluster.B, "victor");
        await sender.CallAsync(Room, "Join");
        await member.CallAsync(Room, "Join");
        var before = (await member.CallAsync(Room, "GetMessages")).GetProperty("lastSeq").GetInt64();

        var error = await Assert.ThrowsAsync<HubException>(() => sender.CallAsync(objectId, method, args));

        Assert.Contains(expected, error.Message);
        var sent = await sender.CallAsync(Room, "SendMessage", new { text = "still here" });
        Assert.Equal(before + 1, sent.GetProperty("seq").GetInt64());
        Assert.Equal("still here", (await member.NextAsync("NewMessage")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task WrongTypedArgs_OverMessagePack_GetTheSameError()
    {
        await using var client = await TestClient.ConnectAsync(cluster.A, "mpack", Protocol.MessagePack);
        await client.CallAsync(Room, "Join");

        var error = await Assert.ThrowsAsync<HubException>(() => client.CallAsync(Room, "SendMessage", new Dictionary<string, object> { ["text"] = new[] { 1, 2 } }));

        Assert.Contains("Invalid args for ChatRoom.SendMessage: 'text' has the wrong type. Expected {text: string, clientMessageId?: string}.", error.Message);
    }

    [Fact]
    public async Task SendMessage_WithoutJoining_IsRefused()
    {
        await using var client = await TestClient.ConnectAsync(cluster.A, "outsider");

        var error = await Assert.ThrowsAsync<HubException>(() => client.CallAsync("ChatRoom-members-only", "SendMessage", new { text = "hi" }));

        Assert.Contains("Join ChatRoom-members-only before sending messages to it.", error.Message);
    }

    [Fact]
    public async Task Create_WithAnIdOfAnotherType_IsRefused()
    {
        await using var client = await TestClient.ConnectAsync(cluster.A, "creator");

        var error = await Assert.ThrowsAsync<HubException>(() => client.CreateAsync("ChatRoom", "Lobby-x"));

        Assert.Contains("Object ID 'Lobby-x' is not of type 'ChatRoom'.", error.Message);
    }

    /// <summary>
    /// SignalR refuses frames over HubOptions.MaximumReceiveMessageSize (32 KB) before any hub code runs, closing the
    /// connection with "Connection closed with an error."; the client reconnects. Other connections carry on.
    /// </summary>
    [Fact]
    public async Task OversizedFrame_ClosesOnlyThatConnection()
    {
        await using var big = await TestClient.ConnectAsync(cluster.A, "bigsender");
        await using var bystander = await TestClient.ConnectAsync(cluster.A, "bystander");
        await big.CallAsync(Room, "Join");
        await bystander.CallAsync(Room, "Join");
        var closed = new TaskCompletionSource<Exception?>();
        big.Connection.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };

        await Assert.ThrowsAnyAsync<Exception>(() => big.CallAsync(Room, "SendMessage", new { text = new string('x', 40_000) }));

        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("Connection closed with an error.", reason?.Message ?? "");
        var sent = await bystander.CallAsync(Room, "SendMessage", new { text = "unaffected" });
        Assert.Equal("unaffected", sent.GetProperty("text").GetString());
    }
}
