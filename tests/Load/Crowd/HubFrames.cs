using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace SignalRChat.Load.Crowd;

/// <summary>Receives the invocations a minimal client decodes: the target and the raw arguments array.</summary>
internal interface IInvocationSink
{
    /// <param name="arguments">The arguments array as the protocol wrote it: JSON text, or MessagePack bytes.</param>
    void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments);
}

/// <summary>
/// SignalR's wire framing, for the two hub protocols, with nothing more than a receiver needs: split records out of
/// a byte stream and read the type, target and arguments of each (JSON and MessagePack hub protocol, version 1).
/// </summary>
internal abstract class HubFrames
{
    public const byte RecordSeparator = 0x1e;
    public const int InvocationType = 1;
    public const int PingType = 6;
    public const int CloseType = 7;

    public static HubFrames For(bool messagePack) => messagePack ? new MessagePackFrames() : new JsonFrames();

    public abstract string ProtocolName { get; }

    /// <summary>The bytes of one ping message, which keeps the server from timing the client out.</summary>
    public abstract ReadOnlyMemory<byte> Ping { get; }

    /// <summary>Finds the next whole record at the start of <paramref name="buffer"/>.</summary>
    /// <returns>The record's length including its framing, or 0 when the buffer holds no whole record yet.</returns>
    public abstract int NextRecord(ReadOnlySpan<byte> buffer, out Range body);

    /// <summary>Reads one record's body; invocations go to <paramref name="sink"/>.</summary>
    /// <returns>The message type (1 invocation, 6 ping, 7 close, …).</returns>
    public abstract int Read(ReadOnlyMemory<byte> body, IInvocationSink sink);

    /// <summary>The handshake request, in JSON for both protocols, ending with the record separator.</summary>
    public byte[] Handshake => System.Text.Encoding.UTF8.GetBytes($"{{\"protocol\":\"{ProtocolName}\",\"version\":1}}\u001e");

    private sealed class JsonFrames : HubFrames
    {
        private static readonly byte[] PingBytes = "{\"type\":6}\u001e"u8.ToArray();

        public override string ProtocolName => "json";

        public override ReadOnlyMemory<byte> Ping => PingBytes;

        public override int NextRecord(ReadOnlySpan<byte> buffer, out Range body)
        {
            var end = buffer.IndexOf(RecordSeparator);
            body = end < 0 ? default : ..end;
            return end + 1;
        }

        public override int Read(ReadOnlyMemory<byte> body, IInvocationSink sink)
        {
            var reader = new Utf8JsonReader(body.Span);
            var type = 0;
            ReadOnlySpan<byte> target = default;
            Range arguments = default;
            reader.Read(); // {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("target"u8))
                {
                    reader.Read();
                    target = reader.ValueSpan; // our targets are plain ASCII: never escaped
                }
                else if (reader.ValueTextEquals("arguments"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    arguments = start..(int)reader.BytesConsumed;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (type == InvocationType)
            {
                sink.Invocation(target, body[arguments]);
            }
            return type;
        }
    }

    private sealed class MessagePackFrames : HubFrames
    {
        private static readonly byte[] PingBytes = [0x02, 0x91, 0x06]; // length 2, then [6]

        public override string ProtocolName => "messagepack";

        public override ReadOnlyMemory<byte> Ping => PingBytes;

        public override int NextRecord(ReadOnlySpan<byte> buffer, out Range body)
        {
            // A 7-bit variable-length size (at most 5 bytes), then that many bytes.
            var length = 0;
            for (var i = 0; i < Math.Min(buffer.Length, 5); i++)
            {
                length |= (buffer[i] & 0x7f) << (7 * i);
                if ((buffer[i] & 0x80) == 0)
                {
                    var start = i + 1;
                    if (buffer.Length - start < length)
                    {
                        break;
                    }
                    body = start..(start + length);
                    return start + length;
                }
            }
            body = default;
            return 0;
        }

        public override int Read(ReadOnlyMemory<byte> body, IInvocationSink sink)
        {
            var reader = new MessagePackReader(body);
            var count = reader.ReadArrayHeader();
            var type = reader.ReadInt32();
            if (type != InvocationType || count < 5)
            {
                return type;
            }
            reader.Skip(); // headers
            reader.Skip(); // invocation ID
            reader.TryReadStringSpan(out var target); // one contiguous buffer: always a span
            var start = (int)reader.Consumed;
            reader.Skip();
            sink.Invocation(target, body[start..(int)reader.Consumed]);
            return type;
        }
    }
}
