namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Pushes client-method invocations to connected clients, wherever in the cluster they are connected.
/// A client ID is <c>{instanceId}/{connectionId}</c>, as the hub hands it to the client in <c>Registered</c>.
/// Every method takes the push's <see cref="PushPriority"/> (chat by default) and, for presence, its subject: the user
/// or thing whose state it carries, so that a newer push about the same subject replaces a queued one.
/// </summary>
public interface IClientPush
{
    /// <summary>Invokes <paramref name="method"/> on one client.</summary>
    /// <exception cref="ArgumentException">The client ID is malformed.</exception>
    Task PushToClientAsync(string clientId, string method, object? payload, PushPriority priority = PushPriority.Chat, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invokes <paramref name="method"/> on many clients with one message per hub instance that holds recipients.
    /// Recipients on instances that are gone are dropped and counted.
    /// </summary>
    /// <exception cref="ArgumentException">A client ID is malformed.</exception>
    /// <exception cref="PushBackpressureException">The outgoing buffer towards an instance is full.</exception>
    Task PushToClientsAsync(IReadOnlyList<string> clientIds, string method, object? payload, PushPriority priority = PushPriority.Chat, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invokes <paramref name="method"/> on every connection of the named users, wherever they are connected, with one
    /// backplane message for the whole cluster (each instance finds its own connections of those users). Users with no
    /// connection are skipped.
    /// </summary>
    /// <exception cref="PushBackpressureException">The outgoing buffer towards an instance is full.</exception>
    Task PushToUsersAsync(IReadOnlyList<string> users, string method, object? payload, PushPriority priority = PushPriority.Chat, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>Invokes <paramref name="method"/> on every connection of the cluster, with one backplane message.</summary>
    /// <exception cref="PushBackpressureException">The outgoing buffer towards an instance is full.</exception>
    Task PushToAllAsync(string method, object? payload, PushPriority priority = PushPriority.Chat, string? subject = null, CancellationToken cancellationToken = default);
}
