using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SignalRChat.Push.Internal;

/// <summary>
/// The connections of one hub on this instance, by connection ID, group and user: what a send resolves its recipients
/// against. Nothing here touches Redis: a connection, a group or a user costs memory on the instance that holds it.
/// </summary>
internal sealed class HubConnections(string instanceId)
{
    private readonly ConcurrentDictionary<string, LocalConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<LocalConnection>> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<LocalConnection>> _users = new(StringComparer.Ordinal);
    private readonly Lock _membership = new(); // guards changes of groups and users; each set is also locked to read it

    public int Count => _connections.Count;

    public LocalConnection Add(HubConnectionContext context)
    {
        var connection = new LocalConnection(context, $"{instanceId}/{context.ConnectionId}");
        _connections[context.ConnectionId] = connection;
        if (context.UserIdentifier is { } user)
        {
            lock (_membership)
            {
                Join(_users, user, connection);
            }
        }
        return connection;
    }

    /// <returns>The connection removed; null when it was not here.</returns>
    public LocalConnection? Remove(HubConnectionContext context)
    {
        if (!_connections.TryRemove(context.ConnectionId, out var connection))
        {
            return null;
        }
        lock (_membership)
        {
            foreach (var group in connection.Groups)
            {
                Leave(_groups, group, connection);
            }
            connection.Groups.Clear();
            if (context.UserIdentifier is { } user)
            {
                Leave(_users, user, connection);
            }
        }
        return connection;
    }

    public LocalConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <returns>False when this instance does not hold the connection.</returns>
    public bool AddToGroup(string connectionId, string group)
    {
        lock (_membership)
        {
            if (!_connections.TryGetValue(connectionId, out var connection))
            {
                return false;
            }
            if (connection.Groups.Add(group))
            {
                Join(_groups, group, connection);
            }
            return true;
        }
    }

    /// <returns>False when this instance does not hold the connection.</returns>
    public bool RemoveFromGroup(string connectionId, string group)
    {
        lock (_membership)
        {
            if (!_connections.TryGetValue(connectionId, out var connection))
            {
                return false;
            }
            if (connection.Groups.Remove(group))
            {
                Leave(_groups, group, connection);
            }
            return true;
        }
    }

    /// <summary>The connections named by plain connection IDs that this instance holds.</summary>
    public List<LocalConnection> Connections(IReadOnlyList<string> connectionIds)
    {
        var found = new List<LocalConnection>(connectionIds.Count);
        foreach (var id in connectionIds)
        {
            if (_connections.TryGetValue(id, out var connection))
            {
                found.Add(connection);
            }
        }
        return found;
    }

    public List<LocalConnection> All(IReadOnlyList<string> excluded)
    {
        var skip = Excluded(excluded);
        var all = new List<LocalConnection>(_connections.Count);
        foreach (var connection in _connections.Values)
        {
            if (skip is null || !skip.Contains(connection.Context.ConnectionId))
            {
                all.Add(connection);
            }
        }
        return all;
    }

    /// <summary>The members of the groups, each once, but the excluded ones.</summary>
    public List<LocalConnection> Groups(IReadOnlyList<string> groups, IReadOnlyList<string> excluded) =>
        Members(_groups, groups, Excluded(excluded));

    /// <summary>The connections of the users, each once.</summary>
    public List<LocalConnection> Users(IReadOnlyList<string> users) => Members(_users, users, null);

    /// <summary>Asks up to <paramref name="count"/> connections not asked before to close with a close message that
    /// allows the client to reconnect (SignalR does that for a connection whose close is requested through
    /// <see cref="IConnectionLifetimeNotificationFeature"/>); connections without the feature are aborted. Returns how
    /// many were asked.</summary>
    public int RequestClose(int count)
    {
        var asked = 0;
        foreach (var connection in _connections.Values)
        {
            if (asked >= count)
            {
                break;
            }
            if (Interlocked.Exchange(ref connection.CloseRequested, 1) == 1)
            {
                continue;
            }
            asked++;
            if (connection.Context.Features.Get<IConnectionLifetimeNotificationFeature>() is { } lifetime)
            {
                lifetime.RequestClose();
            }
            else
            {
                connection.Context.Abort();
            }
        }
        return asked;
    }

    /// <summary>
    /// Closes the connections <paramref name="match"/> picks with a close message that carries <paramref name="reason"/>
    /// and tells the client not to reconnect (SignalR's <see cref="CloseMessage"/>); returns how many.
    /// </summary>
    public int Close(Func<HubConnectionContext, bool> match, string reason)
    {
        var closed = 0;
        foreach (var connection in _connections.Values)
        {
            if (match(connection.Context))
            {
                _ = CloseAsync(connection.Context, reason);
                closed++;
            }
        }
        return closed;
    }

    private static async Task CloseAsync(HubConnectionContext context, string reason)
    {
        try
        {
            // Bounded: a client that does not read its messages is cut off all the same.
            await context.WriteAsync(new CloseMessage(reason, allowReconnect: false)).AsTask().WaitAsync(CloseWriteTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone or stuck: the abort below ends it either way.
        }
        finally
        {
            context.Abort();
        }
    }

    private static readonly TimeSpan CloseWriteTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Closes every connection; their clients reconnect.</summary>
    public void AbortAll()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Context.Abort();
        }
    }

    private static List<LocalConnection> Members(ConcurrentDictionary<string, HashSet<LocalConnection>> sets, IReadOnlyList<string> names, HashSet<string>? skip)
    {
        // Sized for one connection per name, the usual case: no resizing while filling them.
        var members = new List<LocalConnection>(names.Count);
        HashSet<LocalConnection>? seen = names.Count > 1 ? new(names.Count) : null;
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name is null || !sets.TryGetValue(name, out var set))
            {
                continue;
            }
            lock (set)
            {
                foreach (var connection in set)
                {
                    if ((skip is null || !skip.Contains(connection.Context.ConnectionId)) && (seen is null || seen.Add(connection)))
                    {
                        members.Add(connection);
                    }
                }
            }
        }
        return members;
    }

    /// <summary>The excluded IDs as this instance's connection IDs; client IDs of other instances cannot match.</summary>
    private HashSet<string>? Excluded(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return null;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!id.Contains('/'))
            {
                set.Add(id);
            }
            else if (ClientId.TryParse(id, out var clientId) && clientId.InstanceId == instanceId)
            {
                set.Add(clientId.ConnectionId);
            }
        }
        return set;
    }

    private static void Join(ConcurrentDictionary<string, HashSet<LocalConnection>> sets, string name, LocalConnection connection)
    {
        var set = sets.GetOrAdd(name, _ => []);
        lock (set)
        {
            set.Add(connection);
        }
    }

    private static void Leave(ConcurrentDictionary<string, HashSet<LocalConnection>> sets, string name, LocalConnection connection)
    {
        if (!sets.TryGetValue(name, out var set))
        {
            return;
        }
        lock (set)
        {
            set.Remove(connection);
            if (set.Count == 0)
            {
                sets.TryRemove(name, out _);
            }
        }
    }
}
