using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Push;

namespace SignalRChat.Hub.Backplane;

/// <summary>
/// The bytes of one Redis publish: one or more pushes, in the order they were sent. An outbox that falls behind
/// publishes what has queued up as one message, and a push to the same recipients as the push before it does not
/// repeat their client IDs.
/// Layout: version byte, then pushes to the end. A push: a recipients byte (<see cref="NewRecipients"/>, followed by a
/// 7-bit count and that many length-prefixed UTF-8 client IDs, or <see cref="SameRecipients"/>), then a 7-bit count of
/// (length-prefixed protocol name, length-prefixed serialized bytes).
/// </summary>
internal static class BackplaneMessage
{
    private const byte Version = 2;
    private const byte NewRecipients = 0;
    private const byte SameRecipients = 1;

    /// <summary>Writes pushes into one message; reusable after <see cref="ToArrayAndReset"/>.</summary>
    public sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private IReadOnlyList<string>? _lastRecipients;

        /// <summary>Pushes written since the last reset.</summary>
        public int Pushes { get; private set; }

        /// <summary>Bytes written since the last reset.</summary>
        public int Length => _buffer.WrittenCount;

        public void Add(PushEnvelope push)
        {
            if (Pushes == 0)
            {
                WriteByte(Version);
            }
            if (_lastRecipients is not null && PushRuns.SameRecipients(_lastRecipients, push.ClientIds))
            {
                WriteByte(SameRecipients);
            }
            else
            {
                WriteByte(NewRecipients);
                WriteCount(push.ClientIds.Count);
                foreach (var id in push.ClientIds)
                {
                    WriteString(id);
                }
                _lastRecipients = push.ClientIds;
            }
            WriteCount(push.Messages.Count);
            foreach (var message in push.Messages)
            {
                WriteString(message.ProtocolName);
                WriteCount(message.Serialized.Length);
                _buffer.Write(message.Serialized.Span);
            }
            Pushes++;
        }

        /// <summary>The message, and the writer empty again.</summary>
        public byte[] ToArrayAndReset()
        {
            var bytes = _buffer.WrittenSpan.ToArray();
            _buffer.ResetWrittenCount();
            _lastRecipients = null;
            Pushes = 0;
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

        private void WriteString(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            WriteCount(length);
            _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length)));
        }
    }

    /// <param name="bytes">The message.</param>
    /// <param name="only">
    /// When not empty, only client IDs that start with these UTF-8 bytes (<c>{instanceId}/</c>) are decoded; the others
    /// are skipped unread. An instance receiving a fan-out-on-read push, which names every recipient in the cluster,
    /// decodes only its own.
    /// </param>
    /// <returns>The pushes in order. Consecutive pushes to the same recipients share one <see cref="PushEnvelope.ClientIds"/> list.</returns>
    /// <exception cref="FormatException">The bytes are not a backplane message of this version.</exception>
    public static IReadOnlyList<PushEnvelope> Decode(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> only = default)
    {
        var reader = new Reader(bytes);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new FormatException($"Unknown backplane message version {version}.");
        }
        if (reader.AtEnd)
        {
            throw new FormatException("The backplane message holds no push.");
        }
        var pushes = new List<PushEnvelope>(1);
        List<string>? recipients = null;
        while (!reader.AtEnd)
        {
            recipients = reader.ReadByte() switch
            {
                NewRecipients => ReadRecipients(ref reader, only),
                SameRecipients => recipients ?? throw new FormatException("The first push of a backplane message repeats no recipients."),
                var b => throw new FormatException($"Unknown recipients marker {b} in a backplane message."),
            };
            var messages = new SerializedMessage[reader.ReadItemCount()];
            for (var i = 0; i < messages.Length; i++)
            {
                messages[i] = new SerializedMessage(reader.ReadString(), reader.ReadBytes());
            }
            pushes.Add(new PushEnvelope(recipients, messages));
        }
        return pushes;
    }

    private static List<string> ReadRecipients(ref Reader reader, ReadOnlySpan<byte> only)
    {
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
        return ids;
    }

    private struct Reader(ReadOnlyMemory<byte> bytes)
    {
        private int _position;

        public readonly bool AtEnd => _position == bytes.Length;

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
