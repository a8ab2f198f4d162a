using SignalRChat.Push;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Push.Internal;

namespace SignalRChat.Tests.Unit;

public sealed class BackplaneMessageTests
{
    [Fact]
    public void Encode_ThenDecode_GivesBackOriginSendTimeRecipientsAndEveryProtocolsBytes()
    {
        var push = new BackplaneItem(ItemKind.Clients, ["hub-a/c1", "hub-a/ç2"],
            [new SerializedMessage("json", "{\"type\":1}\u001e"u8.ToArray()), new SerializedMessage("messagepack", new byte[300])]);

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (origin, sentAt, items) = BackplaneMessage.Decode(Encode("hub-z", push));
        var decoded = Assert.Single(items);

        Assert.Equal("hub-z", origin);
        Assert.InRange(sentAt, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(push.Names, decoded.Names);
        Assert.Equal(["json", "messagepack"], decoded.Messages.Select(m => m.ProtocolName));
        Assert.Equal(push.Messages[0].Serialized.ToArray(), decoded.Messages[0].Serialized.ToArray());
        Assert.Equal(300, decoded.Messages[1].Serialized.Length);
    }

    [Fact]
    public void DecodeForOneInstance_KeepsOnlyItsClientIds_AndStillReadsTheMessages()
    {
        var push = new BackplaneItem(ItemKind.Clients, ["hub-a/c1", "hub-ab/c2", "hub-b/c3", "hub-a/c4"], [new SerializedMessage("json", new byte[10])]);

        var decoded = Assert.Single(BackplaneMessage.Decode(Encode("hub-z", push), "hub-a/"u8).Items);

        Assert.Equal(["hub-a/c1", "hub-a/c4"], decoded.Names);
        Assert.Equal(10, Assert.Single(decoded.Messages).Serialized.Length);
    }

    [Fact]
    public void EveryItemKind_KeepsItsFields()
    {
        var writer = new BackplaneMessage.Writer("hub-a");
        writer.Add(new BackplaneItem(ItemKind.Groups, ["room", "lobby"], [new SerializedMessage("json", new byte[] { 1 })]) { Excluded = ["hub-a/c1", "plain"] });
        writer.Add(new BackplaneItem(ItemKind.AddToGroup, ["hub-b/c2"], []) { Group = "room", Id = "req-1", Reply = "hub-a" });
        writer.Add(new BackplaneItem(ItemKind.NotFound, [], []) { Id = "req-2" });
        writer.Add(new BackplaneItem(ItemKind.Users, ["alice"], []) { Priority = PushPriority.Presence, ReplacementKey = "PresenceChanged\nbob" });
        writer.Add(new BackplaneItem(ItemKind.All, [], []) { Priority = PushPriority.System });

        var items = BackplaneMessage.Decode(writer.ToArrayAndReset(), "hub-b/"u8).Items;

        Assert.Equal([ItemKind.Groups, ItemKind.AddToGroup, ItemKind.NotFound, ItemKind.Users, ItemKind.All], items.Select(i => i.Kind));
        Assert.Equal([PushPriority.Chat, PushPriority.Chat, PushPriority.Chat, PushPriority.Presence, PushPriority.System], items.Select(i => i.Priority));
        Assert.Equal([null, null, null, "PresenceChanged\nbob", null], items.Select(i => i.ReplacementKey));
        Assert.Equal(["room", "lobby"], items[0].Names); // the instance filter applies to client ID sends only
        Assert.Equal(["hub-a/c1", "plain"], items[0].Excluded);
        Assert.Equal(("room", "req-1", "hub-a"), (items[1].Group, items[1].Id, items[1].Reply));
        Assert.Equal(["hub-b/c2"], items[1].Names);
        Assert.Equal("req-2", items[2].Id);
    }

    [Fact]
    public void EqualNamesOfAnotherKind_AreWrittenAgain()
    {
        var writer = new BackplaneMessage.Writer("hub-a");
        writer.Add(Push(["hub-b/c1", "hub-c/c2"], 1));
        writer.Add(new BackplaneItem(ItemKind.Connections, ["hub-b/c1", "hub-c/c2"], []));

        var items = BackplaneMessage.Decode(writer.ToArrayAndReset(), "hub-b/"u8).Items;

        Assert.Equal(["hub-b/c1"], items[0].Names);
        Assert.Equal(["hub-b/c1", "hub-c/c2"], items[1].Names);
    }

    [Fact]
    public void SeveralPushes_KeepTheirOrder_AndShareRecipientsUntilTheyChange()
    {
        string[] room = ["hub-a/c1", "hub-a/c2"];
        var writer = new BackplaneMessage.Writer("hub-z");
        writer.Add(Push([.. room], 1));
        writer.Add(Push([.. room], 2)); // equal, not the same array: the IDs are not written again
        writer.Add(Push(["hub-a/c3"], 3));
        writer.Add(Push(["hub-a/c3"], 4));
        Assert.Equal(4, writer.Items);

        var pushes = BackplaneMessage.Decode(writer.ToArrayAndReset()).Items;

        Assert.Equal([1, 2, 3, 4], pushes.Select(p => (int)p.Messages[0].Serialized.Span[0]));
        Assert.Equal(room, pushes[0].Names);
        Assert.Same(pushes[0].Names, pushes[1].Names);
        Assert.Equal(["hub-a/c3"], pushes[2].Names);
        Assert.Same(pushes[2].Names, pushes[3].Names);
        Assert.Equal(0, writer.Items);
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void ARepeatedRecipientList_CostsOneByte()
    {
        string[] room = [.. Enumerable.Range(0, 100).Select(i => $"hub-a/connection-{i}")];
        var single = Encode("hub-z", Push(room, 1)).Length;
        var writer = new BackplaneMessage.Writer("hub-z");
        writer.Add(Push(room, 1));
        writer.Add(Push(room, 2));

        var twice = writer.ToArrayAndReset().Length;

        // The second push: its kind, its priority, the same-names marker, the empty excluded list, group, ID, reply and
        // replacement key, then the same message section as the first (protocol count, name, bytes).
        Assert.Equal(single + 1 + 1 + 1 + 1 + 3 + 1 + 1 + (1 + "json".Length) + 1 + 1, twice);
    }

    [Fact]
    public void AWriterReset_StartsAFreshMessage()
    {
        var writer = new BackplaneMessage.Writer("hub-z");
        writer.Add(Push(["hub-a/c1"], 1));
        writer.ToArrayAndReset();
        writer.Add(Push(["hub-a/c1"], 2)); // the same recipients as before the reset: written again

        var decoded = Assert.Single(BackplaneMessage.Decode(writer.ToArrayAndReset()).Items);

        Assert.Equal(["hub-a/c1"], decoded.Names);
        Assert.Equal(2, decoded.Messages[0].Serialized.Span[0]);
    }

    /// <summary>Version 5, an empty origin and a send time: what precedes the first item.</summary>
    private static readonly byte[] Header = [5, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "nothing", [] },
        { "an older version", [4, .. Header[1..], 0, 0, 0, 0, 0, 0, 0, 0] },
        { "no item", Header },
        { "an unknown kind", [.. Header, 11, 1, 0] },
        { "an unknown priority", [.. Header, 0, 3, 0] },
        { "names repeated from no earlier item", [.. Header, 0, 1, 1] },
        { "an unknown names marker", [.. Header, 0, 1, 7] },
        { "more names than bytes", [.. Header, 0, 1, 0, 5, 3, (byte)'a'] },
        { "truncated message bytes", [.. Header, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, (byte)'j', 200, 1] },
        { "a count too large", [.. Header, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_RefusesMalformedBytes(string what, byte[] bytes)
    {
        Assert.Throws<FormatException>(() => BackplaneMessage.Decode(bytes));
        Assert.NotEmpty(what);
    }

    [Fact]
    public void Decode_ReadsAWellFormedItemAfterTheHeader()
    {
        // The malformed cases above differ from this one in the byte they name.
        byte[] bytes = [.. Header, 0, 2, 0, 0, 0, 0, 0, 0, 3, (byte)'k', (byte)'e', (byte)'y', 1, 1, (byte)'j', 1, 42];
        var item = Assert.Single(BackplaneMessage.Decode(bytes).Items);
        Assert.Equal((ItemKind.Clients, PushPriority.Presence, "key"), (item.Kind, item.Priority, item.ReplacementKey));
        Assert.Equal([42], item.Messages.Single().Serialized.ToArray());
    }

    private static byte[] Encode(string origin, BackplaneItem item)
    {
        var writer = new BackplaneMessage.Writer(origin);
        writer.Add(item);
        return writer.ToArrayAndReset();
    }

    private static BackplaneItem Push(string[] clientIds, byte marker) => new(ItemKind.Clients, clientIds, [new SerializedMessage("json", new[] { marker })]);
}
