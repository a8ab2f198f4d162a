using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>
/// The bytes of one Redis publish: the sending instance's ID, then one or more <see cref="BackplaneItem"/>s in the order
/// they were sent. An outbox that falls behind publishes what has queued up as one message, and an item naming the
/// same recipients as the item before it does not repeat them.
/// Layout: version byte, length-prefixed origin instance ID, the time the message was begun (Unix milliseconds, 8
/// bytes little-endian; receivers measure the push latency with it), then items to the end. An item: kind byte; its
/// <see cref="PushPriority"/> byte; a names byte
/// (<see cref="NewNames"/> followed by a 7-bit count and that many length-prefixed UTF-8 strings, or
/// <see cref="SameNames"/>); the excluded IDs (count and strings); the group, the correlation ID and the reply instance
/// (length-prefixed strings, empty when unused); the replacement key of a presence send (length-prefixed, empty for
/// none); a 7-bit count of (length-prefixed protocol name, length-prefixed bytes).
/// </summary>
internal static class BackplaneMessage
{
    private const byte Version = 5;
    private const byte NewNames = 0;
    private const byte SameNames = 1;

    /// <summary>Writes items into one message; reusable after <see cref="ToArrayAndReset"/>.</summary>
    public sealed class Writer(string origin)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private IReadOnlyList<string>? _lastNames;
        private ItemKind _lastKind;

        /// <summary>Items written since the last reset.</summary>
        public int Items { get; private set; }

        /// <summary>Bytes written since the last reset.</summary>
        public int Length => _buffer.WrittenCount;

        public void Add(BackplaneItem item)
        {
            if (Items == 0)
            {
                WriteByte(Version);
                WriteString(origin);
                BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                _buffer.Advance(8);
            }
            WriteByte((byte)item.Kind);
            WriteByte((byte)item.Priority);
            if (_lastNames is not null && _lastKind == item.Kind && PushRuns.SameRecipients(_lastNames, item.Names))
            {
                WriteByte(SameNames);
            }
            else
            {
                WriteByte(NewNames);
                WriteStrings(item.Names);
                _lastNames = item.Names;
                _lastKind = item.Kind;
            }
            WriteStrings(item.Excluded);
            WriteString(item.Group);
            WriteString(item.Id);
            WriteString(item.Reply);
            WriteString(item.ReplacementKey ?? "");
            WriteCount(item.Messages.Count);
            foreach (var message in item.Messages)
            {
                WriteString(message.ProtocolName);
                WriteCount(message.Serialized.Length);
                _buffer.Write(message.Serialized.Span);
            }
            Items++;
        }

        /// <summary>The message, and the writer empty again.</summary>
        public byte[] ToArrayAndReset()
        {
            var bytes = _buffer.WrittenSpan.ToArray();
            _buffer.ResetWrittenCount();
            _lastNames = null;
            Items = 0;
            return bytes;
        }

        private void WriteByte(byte value)
        {
            _buffer.GetSpan(1)[0] = value;
            _buffer.Advance(1);
        }

        private void WriteCount(int value)
        {
            var span = _buffer.GetSpan(5);
            var written = 0;
            var v = (uint)value;
            while (v >= 0x80)
            {
                span[written++] = (byte)(v | 0x80);
                v >>= 7;
            }
            span[written++] = (byte)v;
            _buffer.Advance(written);
        }

        private void WriteStrings(IReadOnlyList<string> values)
        {
            WriteCount(values.Count);
            foreach (var value in values)
            {
                WriteString(value);
            }
        }

        private void WriteString(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            WriteCount(length);
            _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length)));
        }
    }

    /// <param name="bytes">The message.</param>
    /// <param name="only">
    /// When not empty, only client IDs of <see cref="ItemKind.Clients"/> items that start with these UTF-8 bytes
    /// (<c>{instanceId}/</c>) are decoded; the others are skipped unread. An instance receiving a fan-out-on-read send,
    /// which names every recipient in the cluster, decodes only its own.
    /// </param>
    /// <returns>The sender's instance ID, when it began the message (Unix milliseconds), and the items in order. Consecutive items naming the same recipients share one <see cref="BackplaneItem.Names"/> list.</returns>
    /// <exception cref="FormatException">The bytes are not a backplane message of this version.</exception>
    public static (string Origin, long SentAt, IReadOnlyList<BackplaneItem> Items) Decode(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> only = default)
    {
        var reader = new Reader(bytes);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new FormatException($"Unknown backplane message version {version}.");
        }
        var origin = reader.ReadString();
        var sentAt = reader.ReadInt64();
        if (reader.AtEnd)
        {
            throw new FormatException("The backplane message holds no item.");
        }
        var items = new List<BackplaneItem>(1);
        IReadOnlyList<string>? names = null;
        var lastKind = ItemKind.Clients;
        while (!reader.AtEnd)
        {
            var kindByte = reader.ReadByte();
            var kind = kindByte <= (byte)ItemKind.NotFound ? (ItemKind)kindByte : throw new FormatException($"Unknown item kind {kindByte} in a backplane message.");
            var priorityByte = reader.ReadByte();
            var priority = priorityByte <= (byte)PushPriority.Presence ? (PushPriority)priorityByte : throw new FormatException($"Unknown push priority {priorityByte} in a backplane message.");
            names = reader.ReadByte() switch
            {
                NewNames => ReadStrings(ref reader, kind == ItemKind.Clients ? only : default),
                SameNames when names is not null && kind == lastKind => names,
                SameNames => throw new FormatException("A backplane message item repeats names no item of its kind before it had."),
                var b => throw new FormatException($"Unknown names marker {b} in a backplane message."),
            };
            var excluded = ReadStrings(ref reader, default);
            var group = reader.ReadString();
            var id = reader.ReadString();
            var reply = reader.ReadString();
            var replacementKey = reader.ReadString();
            var messages = new SerializedMessage[reader.ReadItemCount()];
            for (var i = 0; i < messages.Length; i++)
            {
                messages[i] = new SerializedMessage(reader.ReadString(), reader.ReadBytes());
            }
            lastKind = kind;
            items.Add(new BackplaneItem(kind, names, messages) {
                Excluded = excluded, Group = group, Id = id, Reply = reply, Priority = priority, ReplacementKey = replacementKey.Length == 0 ? null : replacementKey,
            });
        }
        return (origin, sentAt, items);
    }

    private static IReadOnlyList<string> ReadStrings(ref Reader reader, ReadOnlySpan<byte> only)
    {
        var count = reader.ReadItemCount();
        if (count == 0)
        {
            return [];
        }
        var values = new List<string>(only.IsEmpty ? count : 0);
        for (var i = 0; i < count; i++)
        {
            var value = reader.ReadBytes().Span;
            if (value.StartsWith(only))
            {
                values.Add(Encoding.UTF8.GetString(value));
            }
        }
        return values;
    }

    private struct Reader(ReadOnlyMemory<byte> bytes)
    {
        private int _position;

        public readonly bool AtEnd => _position == bytes.Length;

        public long ReadInt64()
        {
            if (bytes.Length - _position < 8)
            {
                throw new FormatException("The backplane message is truncated.");
            }
            var value = BinaryPrimitives.ReadInt64LittleEndian(bytes.Span[_position..]);
            _position += 8;
            return value;
        }

        public byte ReadByte() =>
            _position < bytes.Length ? bytes.Span[_position++] : throw new FormatException("The backplane message is truncated.");

        public int ReadCount()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = ReadByte();
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= int.MaxValue ? (int)value : throw new FormatException("A backplane message length is too large.");
                }
            }
            throw new FormatException("A backplane message length is malformed.");
        }

        /// <summary>A count of items that take at least one byte each: never more than the bytes left.</summary>
        public int ReadItemCount()
        {
            var count = ReadCount();
            return count <= bytes.Length - _position ? count : throw new FormatException("A backplane message count exceeds its length.");
        }

        public ReadOnlyMemory<byte> ReadBytes()
        {
            var length = ReadCount();
            if (length > bytes.Length - _position)
            {
                throw new FormatException("The backplane message is truncated.");
            }
            var slice = bytes.Slice(_position, length);
            _position += length;
            return slice;
        }

        public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);
    }
}
