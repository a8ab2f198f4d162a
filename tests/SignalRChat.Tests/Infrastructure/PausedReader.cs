using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A client of a <see cref="BackplaneServer"/> hub or of the product's hub, over a raw WebSocket (JSON) with a small
/// socket receive buffer, that reads nothing after <c>Registered</c> until asked to: a client that has fallen behind,
/// whose writes then wait on the server. <see cref="ReadHellosAsync"/> and <see cref="ReadPushesAsync"/> read on, in
/// the order the server wrote; <see cref="CallAsync"/> reads until its answer, keeping the pushes it passes.
/// </summary>
public sealed class PausedReader : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly StringBuilder _unread = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly List<JsonElement> _pushes = [];
    private int _lastInvocationId;

    private PausedReader(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public static Task<PausedReader> ConnectAsync(BackplaneServer server, string user) =>
        ConnectAsync(new Uri($"{server.Url.Replace("http://", "ws://")}/conformance?user={Uri.EscapeDataString(user)}"));

    /// <summary>Connects to the product's hub (<c>/hub</c>) as <paramref name="user"/>.</summary>
    public static async Task<PausedReader> ConnectAsync(HubInstance instance, string user)
    {
        var token = await TestClient.LoginAsync(instance.Url, user);
        return await ConnectAsync(new Uri($"{instance.Url.Replace("http://", "ws://")}/hub?access_token={Uri.EscapeDataString(token)}"));
    }

    private static async Task<PausedReader> ConnectAsync(Uri uri)
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"json\",\"version\":1}}{RecordSeparator}"), WebSocketMessageType.Text, true, timeout.Token);
        var reader = new PausedReader(socket, invoker);
        while (!(await reader.NextRecordsAsync(timeout.Token)).Any(record => record.Contains("\"Registered\"", StringComparison.Ordinal)))
        {
        }
        return reader;
    }

    /// <summary>Calls an object through the product's hub and reads until the answer; the pushes read meanwhile are
    /// kept for <see cref="ReadPushesAsync"/>. Throws the server's error.</summary>
    public async Task<JsonElement> CallAsync(string objectId, string method, object? args = null)
    {
        var id = (++_lastInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var invocation = JsonSerializer.Serialize(new { type = 1, invocationId = id, target = "Call", arguments = new[] { objectId, method, args } });
        using var cancel = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(invocation + RecordSeparator), WebSocketMessageType.Text, true, cancel.Token);
        while (true)
        {
            foreach (var record in await NextRecordsAsync(cancel.Token))
            {
                var message = JsonDocument.Parse(record).RootElement;
                var type = message.GetProperty("type").GetInt32();
                if (type == 1)
                {
                    _pushes.Add(message);
                }
                else if (type == 3 && message.GetProperty("invocationId").GetString() == id)
                {
                    return message.TryGetProperty("error", out var error)
                        ? throw new InvalidOperationException(error.GetString())
                        : message.TryGetProperty("result", out var result) ? result : default;
                }
            }
        }
    }

    /// <summary>Sends a ping, so that the server does not time out a client it has not heard from while it reads nothing.</summary>
    public async Task PingAsync()
    {
        using var cancel = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":6}}{RecordSeparator}"), WebSocketMessageType.Text, true, cancel.Token);
    }

    /// <summary>Reads on until the arguments of the <paramref name="target"/> pushes received so far satisfy
    /// <paramref name="enough"/>, and returns them in order.</summary>
    public async Task<List<JsonElement>> ReadPushesAsync(string target, Func<List<JsonElement>, bool> enough, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var pushes = _pushes.Where(p => p.GetProperty("target").GetString() == target).Select(p => p.GetProperty("arguments")[0]).ToList();
            if (enough(pushes))
            {
                return pushes;
            }
            foreach (var record in await NextRecordsAsync(cancel.Token))
            {
                var message = JsonDocument.Parse(record).RootElement;
                if (message.GetProperty("type").GetInt32() == 1)
                {
                    _pushes.Add(message);
                }
            }
        }
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
