using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Hub.Backplane;

/// <summary>
/// The backplane message of a push: the recipients' client IDs and the invocation already serialized once per hub
/// protocol, so the receiving instance writes bytes to its connections without serializing again.
/// Layout: version byte, 7-bit count, that many length-prefixed UTF-8 client IDs, 7-bit count, that many
/// (length-prefixed protocol name, length-prefixed bytes).
/// </summary>
internal sealed record PushEnvelope(IReadOnlyList<string> ClientIds, IReadOnlyList<SerializedMessage> Messages)
{
    private const byte Version = 1;

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.GetSpan(1)[0] = Version;
        buffer.Advance(1);
        WriteCount(buffer, ClientIds.Count);
        foreach (var id in ClientIds)
        {
            WriteString(buffer, id);
        }
        WriteCount(buffer, Messages.Count);
        foreach (var message in Messages)
        {
            WriteString(buffer, message.ProtocolName);
            WriteCount(buffer, message.Serialized.Length);
            buffer.Write(message.Serialized.Span);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <param name="bytes">The envelope.</param>
    /// <param name="only">
    /// When not empty, only client IDs that start with these UTF-8 bytes (<c>{instanceId}/</c>) are decoded; the others
    /// are skipped unread. An instance receiving a fan-out-on-read push, which names every recipient in the cluster,
    /// decodes only its own.
    /// </param>
    /// <exception cref="FormatException">The bytes are not an envelope of this version.</exception>
    public static PushEnvelope Decode(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> only = default)
    {
        var reader = new Reader(bytes);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new FormatException($"Unknown push envelope version {version}.");
        }
        var count = reader.ReadItemCount();
        var ids = new List<string>(only.IsEmpty ? count : 0);
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadBytes().Span;
            if (id.StartsWith(only))
            {
                ids.Add(Encoding.UTF8.GetString(id));
            }
        }
        var messages = new SerializedMessage[reader.ReadItemCount()];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = new SerializedMessage(reader.ReadString(), reader.ReadBytes());
        }
        if (!reader.AtEnd)
        {
            throw new FormatException("Trailing bytes after the push envelope.");
        }
        return new PushEnvelope(ids, messages);
    }

    private static void WriteCount(ArrayBufferWriter<byte> buffer, int value)
    {
        var span = buffer.GetSpan(5);
        var written = 0;
        var v = (uint)value;
        while (v >= 0x80)
        {
            span[written++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[written++] = (byte)v;
        buffer.Advance(written);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteCount(buffer, length);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(length)));
    }

    private struct Reader(ReadOnlyMemory<byte> bytes)
    {
        private int _position;

        public readonly bool AtEnd => _position == bytes.Length;

        public byte ReadByte() =>
            _position < bytes.Length ? bytes.Span[_position++] : throw new FormatException("The push envelope is truncated.");

        public int ReadCount()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = ReadByte();
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= int.MaxValue ? (int)value : throw new FormatException("A push envelope length is too large.");
                }
            }
            throw new FormatException("A push envelope length is malformed.");
        }

        /// <summary>A count of items that take at least one byte each: never more than the bytes left.</summary>
        public int ReadItemCount()
        {
            var count = ReadCount();
            return count <= bytes.Length - _position ? count : throw new FormatException("A push envelope count exceeds its length.");
        }

        public ReadOnlyMemory<byte> ReadBytes()
        {
            var length = ReadCount();
            if (length > bytes.Length - _position)
            {
                throw new FormatException("The push envelope is truncated.");
            }
            var slice = bytes.Slice(_position, length);
            _position += length;
            return slice;
        }

        public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);
    }
}
