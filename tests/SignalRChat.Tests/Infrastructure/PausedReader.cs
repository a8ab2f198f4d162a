using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A client of a <see cref="BackplaneServer"/> hub, over a raw WebSocket with a small socket receive buffer, that
/// reads nothing after <c>Registered</c> until asked to: a client that has fallen behind, whose writes then wait on
/// the server. <see cref="ReadHellosAsync"/> reads on, in the order the server wrote.
/// </summary>
public sealed class PausedReader : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly StringBuilder _unread = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();

    private PausedReader(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public static async Task<PausedReader> ConnectAsync(BackplaneServer server, string user)
    {
        // A small receive buffer: the server's writes start waiting after little data.
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        var uri = new Uri($"{server.Url.Replace("http://", "ws://")}/conformance?user={Uri.EscapeDataString(user)}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"json\",\"version\":1}}{RecordSeparator}"), WebSocketMessageType.Text, true, timeout.Token);
        var reader = new PausedReader(socket, invoker);
        while (!(await reader.NextRecordsAsync(timeout.Token)).Any(record => record.Contains("\"Registered\"", StringComparison.Ordinal)))
        {
        }
        return reader;
    }

    /// <summary>Reads on until <paramref name="count"/> <c>Hello</c>s came, and returns their texts in order.</summary>
    public async Task<List<string>> ReadHellosAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var hellos = new List<string>(count);
        while (hellos.Count < count)
        {
            foreach (var record in await NextRecordsAsync(cancel.Token))
            {
                var message = JsonDocument.Parse(record).RootElement;
                if (message.TryGetProperty("target", out var target) && target.GetString() == "Hello")
                {
                    hellos.Add(message.GetProperty("arguments")[0].GetString()!);
                }
            }
        }
        return hellos;
    }

    /// <summary>The whole records the next read completes (none when it ends mid-record).</summary>
    private async Task<List<string>> NextRecordsAsync(CancellationToken cancel)
    {
        var buffer = new byte[16 * 1024];
        var read = await _socket.ReceiveAsync(buffer, cancel);
        if (read.MessageType == WebSocketMessageType.Close)
        {
            throw new InvalidOperationException("The server closed the connection.");
        }
        var chars = new char[read.Count];
        _unread.Append(chars, 0, _utf8.GetChars(buffer, 0, read.Count, chars, 0));
        var text = _unread.ToString();
        var end = text.LastIndexOf(RecordSeparator);
        if (end < 0)
        {
            return [];
        }
        _unread.Remove(0, end + 1);
        return text[..end].Split(RecordSeparator).ToList();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
