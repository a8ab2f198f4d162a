using System.Text.Json;
using MessagePack;

namespace SignalRChat.Load.Crowd;

/// <summary>The <c>user</c> and <c>text</c> of a pushed object (<c>PresenceChanged</c>, <c>NewMessage</c>), read
/// straight from the frame's bytes: the crowd's receivers carry the measuring marks in the text.</summary>
internal static class UserAndText
{
    /// <summary>Reads <c>user</c> and <c>text</c> from the first argument of a push, as the protocol wrote it.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> arguments, bool messagePack, out ReadOnlySpan<byte> user, out ReadOnlySpan<byte> text) =>
        messagePack ? TryReadMessagePack(arguments, out user, out text) : TryReadJson(arguments.Span, out user, out text);

    private static bool TryReadJson(ReadOnlySpan<byte> arguments, out ReadOnlySpan<byte> user, out ReadOnlySpan<byte> text)
    {
        user = text = default;
        var reader = new Utf8JsonReader(arguments);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2)
            {
                continue;
            }
            if (reader.ValueTextEquals("user"u8) && reader.Read())
            {
                user = reader.ValueSpan; // user names and marks are plain ASCII: never escaped
            }
            else if (reader.ValueTextEquals("text"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                text = reader.ValueSpan;
            }
        }
        return !user.IsEmpty && !text.IsEmpty;
    }

    private static bool TryReadMessagePack(ReadOnlyMemory<byte> arguments, out ReadOnlySpan<byte> user, out ReadOnlySpan<byte> text)
    {
        user = text = default;
        var reader = new MessagePackReader(arguments);
        if (reader.ReadArrayHeader() < 1)
        {
            return false;
        }
        var fields = reader.ReadMapHeader();
        for (var i = 0; i < fields; i++)
        {
            reader.TryReadStringSpan(out var key);
            if (key.SequenceEqual("user"u8) && reader.TryReadStringSpan(out var value))
            {
                user = value;
            }
            else if (key.SequenceEqual("text"u8) && !reader.TryReadNil() && reader.TryReadStringSpan(out value))
            {
                text = value;
            }
            else
            {
                reader.Skip();
            }
        }
        return !user.IsEmpty && !text.IsEmpty;
    }
}
