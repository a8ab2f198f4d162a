using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// A SignalR client with little more than a receiver needs, so that thousands fit in one process without the client
/// side being what a benchmark measures: a WebSocket straight to the hub (no negotiate), the handshake, pings,
/// records decoded into (target, raw arguments), and invocations that complete with the server's error or none. <c>MinimalHubClientTests</c> shows it receives what the official
/// client receives.
/// </summary>
internal sealed class MinimalHubClient : IAsyncDisposable
{
    private const int InitialBuffer = 2048;
    private static readonly TimeSpan RegisterTimeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket = new();
    private readonly HubFrames _frames;
    private readonly IInvocationSink _sink;
    private readonly TaskCompletionSource<string> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> _pending = new(StringComparer.Ordinal);
    private int _lastInvocationId;
    private Task _receiving = Task.CompletedTask;

    private MinimalHubClient(HubFrames frames, IInvocationSink sink)
    {
        _frames = frames;
        _sink = sink;
        _socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan; // SignalR pings instead
    }

    /// <summary>The <c>{instanceId}/{connectionId}</c> the hub sent in <c>Registered</c>.</summary>
    public string ClientId { get; private set; } = "";

    public string ConnectionId => ClientId[(ClientId.IndexOf('/') + 1)..];

    /// <summary>Completes when the server closes the connection; faults when the connection fails.</summary>
    public Task Receiving => _receiving;

    /// <param name="hub">The hub's URL, for example <c>http://127.0.0.1:5000/hub</c>.</param>
    /// <param name="invoker">Opens the TCP connection (for example bound to a chosen source address); null for the default.</param>
    public static async Task<MinimalHubClient> ConnectAsync(string hub, string token, HubFrames frames, IInvocationSink sink,
        HttpMessageInvoker? invoker = null, CancellationToken cancellationToken = default)
    {
        var client = new MinimalHubClient(frames, sink);
        try
        {
            var uri = new Uri($"ws{hub[4..]}?access_token={Uri.EscapeDataString(token)}");
            await client._socket.ConnectAsync(uri, invoker, cancellationToken);
            await client._socket.SendAsync(frames.Handshake, WebSocketMessageType.Text, true, cancellationToken);
            client._receiving = client.ReceiveAsync();
            client.ClientId = await client._registered.Task.WaitAsync(RegisterTimeout, cancellationToken);
            return client;
        }
        catch
        {
            client._socket.Abort();
            client._socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a ping; the server closes a connection it has heard nothing from for 30 seconds.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) => SendAsync(_frames.Ping, cancellationToken);

    /// <summary>Calls an object method through the product's hub; a refusal or a failure stops the run, since the numbers
    /// would not mean what they say.</summary>
    /// <exception cref="InvalidOperationException">The call failed; the message carries the server's reason.</exception>
    public async Task CallObjectAsync(string objectId, string method, object? args = null)
    {
        if (await InvokeAsync("Call", [objectId, method, args]) is { } error)
        {
            throw new InvalidOperationException($"{objectId}.{method} failed: {error}");
        }
    }

    /// <summary>Invokes a hub method; completes with the server's error text, or null when the call succeeded.</summary>
    /// <exception cref="InvalidOperationException">The connection closed before the completion arrived.</exception>
    public async Task<string?> InvokeAsync(string target, object?[] arguments, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _lastInvocationId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        if (_receiving.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw new InvalidOperationException("The connection is closed.");
        }
        await SendAsync(_frames.Invocation(id, target, arguments), cancellationToken);
        return await completion.Task;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            var type = _frames.ProtocolName == "json" ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            await _socket.SendAsync(record, type, true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[InitialBuffer];
        var filled = 0;
        var handshaken = false;
        var sink = new RegisteringSink(this);
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2); // a record larger than the buffer
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                filled += result.Count;
                var offset = 0;
                if (!handshaken)
                {
                    var end = buffer.AsSpan(0, filled).IndexOf(HubFrames.RecordSeparator);
                    if (end < 0)
                    {
                        continue;
                    }
                    if (HandshakeError(buffer.AsSpan(0, end)) is { } error)
                    {
                        _registered.TrySetException(new InvalidOperationException($"The hub refused the handshake: {error}"));
                        return;
                    }
                    handshaken = true;
                    offset = end + 1;
                }
                int length;
                while ((length = _frames.NextRecord(buffer.AsSpan(offset, filled - offset), out var body)) > 0)
                {
                    var record = buffer.AsMemory(offset, length)[body];
                    var type = _frames.Read(record, sink);
                    if (type == HubFrames.CloseType)
                    {
                        return;
                    }
                    if (type == HubFrames.CompletionType && _frames.TryReadCompletion(record, out var id, out var error)
                        && _pending.TryRemove(id, out var completion))
                    {
                        completion.TrySetResult(error);
                    }
                    offset += length;
                }
                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended: Receiving completes, and a client never registered says why.
        }
        finally
        {
            _registered.TrySetException(new InvalidOperationException("The connection closed before Registered arrived."));
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var completion))
                {
                    completion.TrySetException(new InvalidOperationException("The connection closed before the call completed."));
                }
            }
        }
    }

    private static string? HandshakeError(ReadOnlySpan<byte> response)
    {
        using var json = JsonDocument.Parse(response.ToArray());
        return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    /// <summary>Takes the client ID from <c>Registered</c>, then passes every invocation on.</summary>
    private sealed class RegisteringSink(MinimalHubClient client) : IInvocationSink
    {
        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            if (!client._registered.Task.IsCompleted && target.SequenceEqual("Registered"u8))
            {
                var json = client._frames.ProtocolName == "json"
                    ? Encoding.UTF8.GetString(arguments.Span)
                    : MessagePackSerializer.ConvertToJson(arguments);
                using var document = JsonDocument.Parse(json);
                client._registered.TrySetResult(document.RootElement[0].GetProperty("clientId").GetString()!);
            }
            client._sink.Invocation(target, arguments);
        }
    }
}
