using System.Text.Json;
using MessagePack;

namespace SignalRChat.Load.Crowd;

/// <summary>Reads <c>seq</c> and <c>sentAt</c> out of a <c>BenchMessage</c> push's raw arguments without allocating.</summary>
internal static class BenchMessages
{
    public static bool TryRead(bool messagePack, ReadOnlyMemory<byte> arguments, out long seq, out long sentAt) =>
        messagePack ? TryReadMessagePack(arguments, out seq, out sentAt) : TryReadJson(arguments.Span, out seq, out sentAt);

    private static bool TryReadJson(ReadOnlySpan<byte> arguments, out long seq, out long sentAt)
    {
        seq = sentAt = -1;
        var reader = new Utf8JsonReader(arguments);
        while (reader.Read() && (seq < 0 || sentAt < 0))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2)
            {
                continue;
            }
            if (reader.ValueTextEquals("seq"u8) && reader.Read())
            {
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("sentAt"u8) && reader.Read())
            {
                sentAt = reader.GetInt64();
            }
        }
        return seq >= 0 && sentAt >= 0;
    }

    private static bool TryReadMessagePack(ReadOnlyMemory<byte> arguments, out long seq, out long sentAt)
    {
        seq = sentAt = -1;
        var reader = new MessagePackReader(arguments);
        if (reader.ReadArrayHeader() < 1)
        {
            return false;
        }
        var fields = reader.ReadMapHeader();
        for (var i = 0; i < fields; i++)
        {
            reader.TryReadStringSpan(out var key);
            if (key.SequenceEqual("seq"u8))
            {
                seq = reader.ReadInt64();
            }
            else if (key.SequenceEqual("sentAt"u8))
            {
                sentAt = reader.ReadInt64();
            }
            else
            {
                reader.Skip();
            }
        }
        return seq >= 0 && sentAt >= 0;
    }
}
