using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Backplane;

namespace SignalRChat.Tests.Unit;

public sealed class BackplaneMessageTests
{
    [Fact]
    public void Encode_ThenDecode_GivesBackRecipientsAndEveryProtocolsBytes()
    {
        var push = new PushEnvelope(["hub-a/c1", "hub-a/ç2"],
            [new SerializedMessage("json", "{\"type\":1}\u001e"u8.ToArray()), new SerializedMessage("messagepack", new byte[300])]);

        var decoded = Assert.Single(BackplaneMessage.Decode(Encode(push)));

        Assert.Equal(push.ClientIds, decoded.ClientIds);
        Assert.Equal(["json", "messagepack"], decoded.Messages.Select(m => m.ProtocolName));
        Assert.Equal(push.Messages[0].Serialized.ToArray(), decoded.Messages[0].Serialized.ToArray());
        Assert.Equal(300, decoded.Messages[1].Serialized.Length);
    }

    [Fact]
    public void DecodeForOneInstance_KeepsOnlyItsClientIds_AndStillReadsTheMessages()
    {
        var push = new PushEnvelope(["hub-a/c1", "hub-ab/c2", "hub-b/c3", "hub-a/c4"], [new SerializedMessage("json", new byte[10])]);

        var decoded = Assert.Single(BackplaneMessage.Decode(Encode(push), "hub-a/"u8));

        Assert.Equal(["hub-a/c1", "hub-a/c4"], decoded.ClientIds);
        Assert.Equal(10, Assert.Single(decoded.Messages).Serialized.Length);
    }

    [Fact]
    public void SeveralPushes_KeepTheirOrder_AndShareRecipientsUntilTheyChange()
    {
        string[] room = ["hub-a/c1", "hub-a/c2"];
        var writer = new BackplaneMessage.Writer();
        writer.Add(Push([.. room], 1));
        writer.Add(Push([.. room], 2)); // equal, not the same array: the IDs are not written again
        writer.Add(Push(["hub-a/c3"], 3));
        writer.Add(Push(["hub-a/c3"], 4));
        Assert.Equal(4, writer.Pushes);

        var pushes = BackplaneMessage.Decode(writer.ToArrayAndReset());

        Assert.Equal([1, 2, 3, 4], pushes.Select(p => (int)p.Messages[0].Serialized.Span[0]));
        Assert.Equal(room, pushes[0].ClientIds);
        Assert.Same(pushes[0].ClientIds, pushes[1].ClientIds);
        Assert.Equal(["hub-a/c3"], pushes[2].ClientIds);
        Assert.Same(pushes[2].ClientIds, pushes[3].ClientIds);
        Assert.Equal(0, writer.Pushes);
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void ARepeatedRecipientList_CostsOneByte()
    {
        string[] room = [.. Enumerable.Range(0, 100).Select(i => $"hub-a/connection-{i}")];
        var single = Encode(Push(room, 1)).Length;
        var writer = new BackplaneMessage.Writer();
        writer.Add(Push(room, 1));
        writer.Add(Push(room, 2));

        var twice = writer.ToArrayAndReset().Length;

        // The second push: the recipients marker, then the same message section as the first (protocol count, name, bytes).
        Assert.Equal(single + 1 + 1 + (1 + "json".Length) + 1 + 1, twice);
    }

    [Fact]
    public void AWriterReset_StartsAFreshMessage()
    {
        var writer = new BackplaneMessage.Writer();
        writer.Add(Push(["hub-a/c1"], 1));
        writer.ToArrayAndReset();
        writer.Add(Push(["hub-a/c1"], 2)); // the same recipients as before the reset: written again

        var decoded = Assert.Single(BackplaneMessage.Decode(writer.ToArrayAndReset()));

        Assert.Equal(["hub-a/c1"], decoded.ClientIds);
        Assert.Equal(2, decoded.Messages[0].Serialized.Span[0]);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 9 })]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 2, 1, 0 })]
    [InlineData(new byte[] { 2, 7, 0 })]
    [InlineData(new byte[] { 2, 0, 5, 3, (byte)'a' })]
    [InlineData(new byte[] { 2, 0, 0, 1, 1, (byte)'j', 200, 1 })]
    [InlineData(new byte[] { 2, 0, 0, 0, 42 })]
    [InlineData(new byte[] { 2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })]
    public void Decode_RefusesMalformedBytes(byte[] bytes)
    {
        Assert.Throws<FormatException>(() => BackplaneMessage.Decode(bytes));
    }

    private static byte[] Encode(PushEnvelope push)
    {
        var writer = new BackplaneMessage.Writer();
        writer.Add(push);
        return writer.ToArrayAndReset();
    }

    private static PushEnvelope Push(string[] clientIds, byte marker) => new(clientIds, [new SerializedMessage("json", new[] { marker })]);
}
