using System.Net.WebSockets;
using System.Text;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A client that completes the SignalR JSON handshake over a raw WebSocket, reads until it is <c>Registered</c>, then
/// never reads again: the stuck client of a real deployment (a frozen tab, a phone in a tunnel).
/// </summary>
public sealed class StuckClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket;

    private StuckClient(ClientWebSocket socket, string clientId)
    {
        _socket = socket;
        ClientId = clientId;
    }

    public string ClientId { get; }

    public static async Task<StuckClient> ConnectAsync(HubInstance instance, string user)
    {
        var token = await TestClient.LoginAsync(instance.Url, user);
        var socket = new ClientWebSocket();
        var uri = new Uri($"{instance.Url.Replace("http://", "ws://")}/hub?access_token={Uri.EscapeDataString(token)}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"json\",\"version\":1}}{RecordSeparator}"), WebSocketMessageType.Text, true, timeout.Token);

        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            received.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var registered = received.ToString().Split(RecordSeparator).FirstOrDefault(r => r.Contains("\"Registered\"", StringComparison.Ordinal));
            if (registered is not null)
            {
                var arguments = JsonDocument.Parse(registered).RootElement.GetProperty("arguments");
                return new StuckClient(socket, arguments[0].GetProperty("clientId").GetString()!);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
