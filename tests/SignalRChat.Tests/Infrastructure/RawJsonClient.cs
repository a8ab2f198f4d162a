using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A SignalR client spoken by hand over a WebSocket, JSON protocol: it sees every frame, invocation IDs included, and
/// can send any completion, including one for an invocation that was not its own.
/// </summary>
public sealed class RawJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly ConcurrentQueue<long> _pings = new();
    private Task _reading = Task.CompletedTask;

    public string ClientId { get; private set; } = "";

    public string ConnectionId => ClientId[(ClientId.IndexOf('/') + 1)..];

    /// <summary>When each ping arrived, as <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public IReadOnlyCollection<long> Pings => _pings;

    public static async Task<RawJsonClient> ConnectAsync(BackplaneServer server)
    {
        var client = new RawJsonClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(new Uri($"{server.Url.Replace("http://", "ws://")}/conformance?user=raw"), timeout.Token);
        await client.SendAsync("""{"protocol":"json","version":1}""");
        client._reading = client.ReadAsync();
        while (true)
        {
            var frame = await client.NextAsync();
            if (frame.TryGetProperty("target", out var target) && target.GetString() == "Registered")
            {
                client.ClientId = frame.GetProperty("arguments")[0].GetProperty("clientId").GetString()!;
                return client;
            }
        }
    }

    /// <summary>The next frame with a <c>type</c> (handshake replies have none), pings skipped.</summary>
    public async Task<JsonElement> NextAsync()
    {
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync().AsTask().WaitAsync(Eventually.DefaultTimeout);
            if (frame.TryGetProperty("type", out var type) && type.GetInt32() != 6)
            {
                return frame;
            }
        }
    }

    /// <summary>Sends one JSON record.</summary>
    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var read = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
                var all = text.ToString();
                var end = all.LastIndexOf(RecordSeparator);
                if (end < 0)
                {
                    continue;
                }
                foreach (var record in all[..end].Split(RecordSeparator))
                {
                    var frame = JsonDocument.Parse(record).RootElement.Clone();
                    if (frame.TryGetProperty("type", out var type) && type.GetInt32() == 6)
                    {
                        _pings.Enqueue(Stopwatch.GetTimestamp());
                    }
                    _frames.Writer.TryWrite(frame);
                }
                text.Clear().Append(all[(end + 1)..]);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // Closed by the server, or aborted by DisposeAsync.
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reading;
        _socket.Dispose();
    }
}
