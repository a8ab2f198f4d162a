using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace SignalRChat.Hub.Push;

/// <summary>
/// The hub connections of this instance, and the one place pushes are written to them. A write never waits for
/// a client: a slow client's messages queue on its own connection, and past <see cref="PushOptions.SlowClientMessageLimit"/>
/// the client is disconnected, so it cannot delay delivery to the others or grow memory without bound.
/// </summary>
internal sealed class LocalConnections(IOptions<PushOptions> options, PushMetrics metrics, ILogger<LocalConnections> logger)
{
    private readonly ConcurrentDictionary<string, LocalConnection> _connections = new(StringComparer.Ordinal);
    private readonly int _limit = options.Value.SlowClientMessageLimit;

    public int Count => _connections.Count;

    public void Add(HubConnectionContext connection) => _connections[connection.ConnectionId] = new LocalConnection(connection);

    public void Remove(HubConnectionContext connection) => _connections.TryRemove(connection.ConnectionId, out _);

    public bool Contains(string connectionId) => _connections.ContainsKey(connectionId);

    /// <summary>Closes every connection; their clients reconnect.</summary>
    public void AbortAll()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Context.Abort();
        }
    }

    /// <summary>Writes the message to each connection that is still here; gone ones are counted.</summary>
    /// <param name="message">The bytes to write.</param>
    /// <param name="connectionIds">The recipients on this instance.</param>
    /// <param name="messages">How many hub messages the bytes hold: several pushes can be written at once.</param>
    public void Write(SerializedHubMessage message, IReadOnlyList<string> connectionIds, int messages = 1)
    {
        var delivered = 0;
        foreach (var connectionId in connectionIds)
        {
            if (_connections.TryGetValue(connectionId, out var connection))
            {
                Write(connection, message, messages);
                delivered += messages;
            }
            else
            {
                metrics.OnClientGone(messages);
            }
        }
        metrics.OnDelivered(delivered);
    }

    private void Write(LocalConnection connection, SerializedHubMessage message, int messages)
    {
        var pending = Interlocked.Add(ref connection.Pending, messages);
        // Refused when what was already waiting has reached the limit: a write of several messages (a run of pushes)
        // is never refused for its own size.
        if (pending - messages >= _limit)
        {
            Interlocked.Add(ref connection.Pending, -messages);
            if (Interlocked.Exchange(ref connection.Aborted, 1) == 0)
            {
                PushLog.SlowClient(logger, connection.Context.ConnectionId, pending - messages, _limit);
                metrics.OnSlowClient();
                connection.Context.Abort();
            }
            return;
        }
        var write = connection.Context.WriteAsync(message);
        if (write.IsCompletedSuccessfully)
        {
            Interlocked.Add(ref connection.Pending, -messages);
            return;
        }
        _ = CompleteAsync(connection, write, messages);
    }

    private async Task CompleteAsync(LocalConnection connection, ValueTask write, int messages)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PushLog.WriteFailed(logger, e, connection.Context.ConnectionId);
        }
        finally
        {
            Interlocked.Add(ref connection.Pending, -messages);
        }
    }

    private sealed class LocalConnection(HubConnectionContext context)
    {
        public readonly HubConnectionContext Context = context;
        public int Pending;
        public int Aborted;
    }
}
