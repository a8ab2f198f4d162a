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
/// SignalR's wire framing, for the two hub protocols, with little more than a receiver needs: split records out of
/// a byte stream and read the type, target and arguments of each, write invocations and read their completions
/// (JSON and MessagePack hub protocol, version 1).
/// </summary>
internal abstract class HubFrames
{
    public const byte RecordSeparator = 0x1e;
    public const int InvocationType = 1;
    public const int CompletionType = 3;
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

    /// <summary>A whole invocation record, framed: the server answers with a completion naming <paramref name="invocationId"/>.</summary>
    /// <param name="arguments">Plain values, dictionaries, arrays and anonymous objects (their property names as written).</param>
    public abstract byte[] Invocation(string invocationId, string target, object?[] arguments);

    /// <summary>Reads a completion record's body: its invocation ID, and its error (null when the call succeeded).</summary>
    public abstract bool TryReadCompletion(ReadOnlyMemory<byte> body, out string invocationId, out string? error);

    /// <summary>The handshake request, in JSON for both protocols, ending with the record separator.</summary>
    public byte[] Handshake => System.Text.Encoding.UTF8.GetBytes($"{{\"protocol\":\"{ProtocolName}\",\"version\":1}}\u001e");

    private sealed class JsonFrames : HubFrames
    {
        private static readonly byte[] PingBytes = "{\"type\":6}\u001e"u8.ToArray();

        public override string ProtocolName => "json";

        public override ReadOnlyMemory<byte> Ping => PingBytes;

        public override byte[] Invocation(string invocationId, string target, object?[] arguments) =>
            [.. JsonSerializer.SerializeToUtf8Bytes(new { type = InvocationType, invocationId, target, arguments }), RecordSeparator];

        public override bool TryReadCompletion(ReadOnlyMemory<byte> body, out string invocationId, out string? error)
        {
            invocationId = "";
            error = null;
            var reader = new Utf8JsonReader(body.Span);
            reader.Read(); // {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("invocationId"u8))
                {
                    reader.Read();
                    invocationId = reader.GetString()!;
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    error = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return invocationId.Length > 0;
        }

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

        private static readonly MessagePackSerializerOptions Contractless =
            MessagePackSerializerOptions.Standard.WithResolver(MessagePack.Resolvers.ContractlessStandardResolver.Instance);

        public override byte[] Invocation(string invocationId, string target, object?[] arguments)
        {
            var body = MessagePackSerializer.Serialize<object?[]>(
                [InvocationType, new Dictionary<string, string>(), invocationId, target, arguments, Array.Empty<string>()], Contractless);
            var framed = new List<byte>(body.Length + 5);
            for (var length = (uint)body.Length; ; length >>= 7)
            {
                framed.Add((byte)(length < 0x80 ? length : (length & 0x7f) | 0x80));
                if (length < 0x80)
                {
                    break;
                }
            }
            framed.AddRange(body);
            return [.. framed];
        }

        public override bool TryReadCompletion(ReadOnlyMemory<byte> body, out string invocationId, out string? error)
        {
            var reader = new MessagePackReader(body);
            var count = reader.ReadArrayHeader();
            error = null;
            invocationId = "";
            if (reader.ReadInt32() != CompletionType || count < 4)
            {
                return false;
            }
            reader.Skip(); // headers
            invocationId = reader.ReadString()!;
            if (reader.ReadInt32() == 1) // result kind: 1 error, 2 void, 3 result
            {
                error = reader.ReadString();
            }
            return true;
        }

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
