using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Backplane;

namespace SignalRChat.Tests.Unit;

public sealed class PushEnvelopeTests
{
    [Fact]
    public void Encode_ThenDecode_GivesBackRecipientsAndEveryProtocolsBytes()
    {
        var envelope = new PushEnvelope(["hub-a/c1", "hub-a/ç2"],
            [new SerializedMessage("json", "{\"type\":1}\u001e"u8.ToArray()), new SerializedMessage("messagepack", new byte[300])]);

        var decoded = PushEnvelope.Decode(envelope.Encode());

        Assert.Equal(envelope.ClientIds, decoded.ClientIds);
        Assert.Equal(["json", "messagepack"], decoded.Messages.Select(m => m.ProtocolName));
        Assert.Equal(envelope.Messages[0].Serialized.ToArray(), decoded.Messages[0].Serialized.ToArray());
        Assert.Equal(300, decoded.Messages[1].Serialized.Length);
    }

    [Fact]
    public void DecodeForOneInstance_KeepsOnlyItsClientIds_AndStillReadsTheMessages()
    {
        var envelope = new PushEnvelope(["hub-a/c1", "hub-ab/c2", "hub-b/c3", "hub-a/c4"], [new SerializedMessage("json", new byte[10])]);

        var decoded = PushEnvelope.Decode(envelope.Encode(), "hub-a/"u8);

        Assert.Equal(["hub-a/c1", "hub-a/c4"], decoded.ClientIds);
        Assert.Equal(10, Assert.Single(decoded.Messages).Serialized.Length);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 9 })]
    [InlineData(new byte[] { 1, 5, 3, (byte)'a' })]
    [InlineData(new byte[] { 1, 0, 1, 1, (byte)'j', 200, 1 })]
    [InlineData(new byte[] { 1, 0, 0, 42 })]
    [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })]
    public void Decode_RefusesMalformedBytes(byte[] bytes)
    {
        Assert.Throws<FormatException>(() => PushEnvelope.Decode(bytes));
    }
}
