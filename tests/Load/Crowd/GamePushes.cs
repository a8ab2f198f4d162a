using System.Buffers.Text;
using System.Text.Json;
using MessagePack;

namespace SignalRChat.Load.Crowd;

/// <summary>The string fields of a push the game scenario reads (each empty when the push has none).</summary>
internal ref struct PushFields
{
    public ReadOnlySpan<byte> Text;
    public ReadOnlySpan<byte> Id;
    public ReadOnlySpan<byte> User;
    public ReadOnlySpan<byte> Zone;
}

/// <summary>
/// Reads what the game scenario measures straight from a push's raw arguments, over both protocols, without
/// allocating: the fields <c>text</c>, <c>id</c>, <c>user</c> and <c>zone</c> of the pushed object, the names of a
/// <c>ZonePresence</c>, and the marks the scenario puts in every text it sends: <c>{phase}:{event}:{sentAt}</c>
/// (<c>sentAt</c> a <see cref="System.Diagnostics.Stopwatch"/> timestamp: one clock for every process on the machine).
/// User, zone and message names are plain ASCII, never escaped in JSON.
/// </summary>
internal static class GamePushes
{
    /// <summary>The mark of event <paramref name="index"/> of <paramref name="phase"/>, sent at <paramref name="sentAt"/>.</summary>
    public static string Mark(int phase, int index, long sentAt) => FormattableString.Invariant($"{phase}:{index}:{sentAt}");

    /// <summary>A message text of <paramref name="size"/> characters that starts with a mark.</summary>
    public static string Text(int phase, int index, long sentAt, int size)
    {
        var mark = Mark(phase, index, sentAt) + ":";
        return mark.PadRight(Math.Max(size, mark.Length), 'x');
    }

    public static bool TryReadMark(ReadOnlySpan<byte> text, out int phase, out int index)
    {
        index = -1;
        if (!Utf8Parser.TryParse(text, out phase, out var used) || used >= text.Length || text[used] != (byte)':')
        {
            return false;
        }
        text = text[(used + 1)..];
        return Utf8Parser.TryParse(text, out index, out used) && used < text.Length && text[used] == (byte)':';
    }

    /// <summary>The number at the end of a name: <c>p17</c> is player 17, <c>Zone-s0-3</c> zone 3.</summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> name, out int number)
    {
        var start = name.Length;
        while (start > 0 && name[start - 1] is >= (byte)'0' and <= (byte)'9')
        {
            start--;
        }
        number = -1;
        return start < name.Length && Utf8Parser.TryParse(name[start..], out number, out _);
    }

    public static PushFields Read(ReadOnlyMemory<byte> arguments, bool messagePack) =>
        messagePack ? ReadMessagePack(arguments) : ReadJson(arguments.Span);

    /// <summary>Reads a <c>ZonePresence {zone, entered, left}</c>: the zone's number and the players' numbers.</summary>
    public static bool TryReadZonePresence(ReadOnlyMemory<byte> arguments, bool messagePack, out int zone, List<int> entered, List<int> left)
    {
        entered.Clear();
        left.Clear();
        return messagePack ? ZonePresenceMessagePack(arguments, out zone, entered, left) : ZonePresenceJson(arguments.Span, out zone, entered, left);
    }

    private static PushFields ReadJson(ReadOnlySpan<byte> arguments)
    {
        var fields = default(PushFields);
        var reader = new Utf8JsonReader(arguments);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2)
            {
                continue;
            }
            var key = reader.ValueSpan;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                continue;
            }
            if (key.SequenceEqual("text"u8))
            {
                fields.Text = reader.ValueSpan;
            }
            else if (key.SequenceEqual("id"u8))
            {
                fields.Id = reader.ValueSpan;
            }
            else if (key.SequenceEqual("user"u8))
            {
                fields.User = reader.ValueSpan;
            }
            else if (key.SequenceEqual("zone"u8))
            {
                fields.Zone = reader.ValueSpan;
            }
        }
        return fields;
    }

    private static PushFields ReadMessagePack(ReadOnlyMemory<byte> arguments)
    {
        var fields = default(PushFields);
        var reader = new MessagePackReader(arguments);
        if (reader.ReadArrayHeader() < 1 || reader.NextMessagePackType != MessagePackType.Map)
        {
            return fields;
        }
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            reader.TryReadStringSpan(out var key);
            if (reader.NextMessagePackType != MessagePackType.String || !reader.TryReadStringSpan(out var value))
            {
                reader.Skip();
                continue;
            }
            if (key.SequenceEqual("text"u8))
            {
                fields.Text = value;
            }
            else if (key.SequenceEqual("id"u8))
            {
                fields.Id = value;
            }
            else if (key.SequenceEqual("user"u8))
            {
                fields.User = value;
            }
            else if (key.SequenceEqual("zone"u8))
            {
                fields.Zone = value;
            }
        }
        return fields;
    }

    private static bool ZonePresenceJson(ReadOnlySpan<byte> arguments, out int zone, List<int> entered, List<int> left)
    {
        zone = -1;
        var reader = new Utf8JsonReader(arguments);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2)
            {
                continue;
            }
            if (reader.ValueTextEquals("zone"u8))
            {
                reader.Read();
                TryReadNumber(reader.ValueSpan, out zone);
            }
            else if ((reader.ValueTextEquals("entered"u8) ? entered : reader.ValueTextEquals("left"u8) ? left : null) is { } names)
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    if (TryReadNumber(reader.ValueSpan, out var player))
                    {
                        names.Add(player);
                    }
                }
            }
        }
        return zone >= 0;
    }

    private static bool ZonePresenceMessagePack(ReadOnlyMemory<byte> arguments, out int zone, List<int> entered, List<int> left)
    {
        zone = -1;
        var reader = new MessagePackReader(arguments);
        if (reader.ReadArrayHeader() < 1 || reader.NextMessagePackType != MessagePackType.Map)
        {
            return false;
        }
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            reader.TryReadStringSpan(out var key);
            if (key.SequenceEqual("zone"u8) && reader.TryReadStringSpan(out var value))
            {
                TryReadNumber(value, out zone);
            }
            else if ((key.SequenceEqual("entered"u8) ? entered : key.SequenceEqual("left"u8) ? left : null) is { } names
                && reader.NextMessagePackType == MessagePackType.Array)
            {
                var length = reader.ReadArrayHeader();
                for (var j = 0; j < length; j++)
                {
                    if (reader.TryReadStringSpan(out var name) && TryReadNumber(name, out var player))
                    {
                        names.Add(player);
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return zone >= 0;
    }
}
