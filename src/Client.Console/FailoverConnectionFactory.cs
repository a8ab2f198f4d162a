using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace SignalRChat.Client.Console;

/// <summary>
/// Connects to the current instance, or, when it cannot be reached, to the next one the client knows
/// (<see cref="ClusterServers"/>): every connect, the first and each automatic reconnect, tries every known instance
/// once before it fails.
/// </summary>
internal sealed class FailoverConnectionFactory(HttpConnectionFactory http, ClusterServers servers) : IConnectionFactory
{
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Exception? last = null;
        foreach (var server in servers.InTurn())
        {
            servers.MoveTo(server);
            try
            {
                return await http.ConnectAsync(new UriEndPoint(new Uri(server, "/hub")), cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.WebSockets.WebSocketException or TimeoutException or AggregateException
                && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
        }
        throw last ?? new InvalidOperationException("No hub instance is known.");
    }
}
