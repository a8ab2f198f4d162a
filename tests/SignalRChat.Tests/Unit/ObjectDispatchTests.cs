using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Tests.Unit;

public sealed class ObjectDispatchTests
{
    private static readonly ObjectTypeInfo ChatRoomType = ObjectCatalog.Default.GetType("ChatRoom");

    [Theory]
    [InlineData("ChatRoom-general", "ChatRoom", "general")]
    [InlineData("ChatRoom-with-dashes", "ChatRoom", "with-dashes")]
    [InlineData("Zone2-x", "Zone2", "x")]
    public void ObjectId_SplitsAtTheFirstDash(string text, string type, string key)
    {
        var id = ObjectId.Parse(text);

        Assert.Equal((type, key), (id.Type, id.Key));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("general", "it needs a type and a key separated by '-'")]
    [InlineData("-general", "it needs a type and a key separated by '-'")]
    [InlineData("ChatRoom-", "it needs a type and a key separated by '-'")]
    [InlineData("2Room-x", "the type must start with a letter")]
    [InlineData("Chat_Room-x", "the type must start with a letter")]
    [InlineData("ChatRoom-a/b", "the key must not hold control characters or '/'")]
    public void ObjectId_RefusesMalformedIds_SayingWhy(string text, string problem)
    {
        var error = Assert.Throws<ObjectCallException>(() => ObjectId.Parse(text));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void ObjectId_RefusesOverlongIds()
    {
        Assert.Contains("longer than 256", Assert.Throws<ObjectCallException>(() => ObjectId.Parse("ChatRoom-" + new string('k', 250))).Message);
    }

    [Fact]
    public void Catalog_FindsTheShippedTypes_AndChatRoomsCallableMethods_InDeclarationOrder()
    {
        Assert.Equal(["ChatRoom", "Guild", "Party", "Player", "World", "Zone"], ObjectCatalog.Default.TypeNames);
        Assert.Equal(["Join", "Leave", "SendMessage", "GetMessages", "ListMembers", "Typing", "MarkRead",
            "Kick", "Mute", "Unmute", "Ban", "Unban", "SetModerator", "SetPrivate", "Allow", "Disallow", "GetModeration"], ChatRoomType.MethodNames);
        Assert.False(ChatRoomType.HasMethod("Create"));
        Assert.False(ChatRoomType.HasMethod("join"));
    }

    [Fact]
    public void Catalog_UnknownTypeAndMethod_NameWhatExists()
    {
        Assert.Equal("Unknown object type 'Lobby'. Types: ChatRoom, Guild, Party, Player, World, Zone.", Assert.Throws<ObjectCallException>(() => ObjectCatalog.Default.GetType("Lobby")).Message);
        Assert.Equal("ChatRoom has no method 'Jion'. Methods: Join, Leave, SendMessage, GetMessages, ListMembers, Typing, MarkRead, Kick, Mute, Unmute, Ban, Unban, SetModerator, SetPrivate, Allow, Disallow, GetModeration.",
            Assert.Throws<ObjectCallException>(() => ChatRoomType.GetMethod("Jion")).Message);
    }

    [Fact]
    public void BindArgs_GivesTheMethodItsTypedArgument()
    {
        var args = (GetMessagesArgs)ChatRoomType.GetMethod("GetMessages").BindArgs("{\"afterSeq\":7}"u8.ToArray())!;

        Assert.Equal(new GetMessagesArgs(7, null, ChatRoom.DefaultPageSize), args);
    }

    [Theory]
    [InlineData("", "'text' is missing")]
    [InlineData("null", "'text' is missing")]
    [InlineData("{\"text\":null}", "'text' has the wrong type")]
    [InlineData("{\"text\":true}", "'text' has the wrong type")]
    [InlineData("{\"text\":\"hi\",\"user\":\"admin\"}", "'user' is not a known field")]
    [InlineData("[1,2]", "args must be an object")]
    public void BindArgs_RefusesArgsThatDoNotFit_NamingTheField(string json, string problem)
    {
        var error = Assert.Throws<ObjectCallException>(() => ChatRoomType.GetMethod("SendMessage").BindArgs(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Equal($"Invalid args for ChatRoom.SendMessage: {problem}. Expected {{text: string, clientMessageId?: string}}.", error.Message);
    }

    [Fact]
    public void BindArgs_OfAMethodWithoutParameters_IgnoresArgs()
    {
        Assert.Null(ChatRoomType.GetMethod("Join").BindArgs("{\"x\":1}"u8.ToArray()));
    }
}
