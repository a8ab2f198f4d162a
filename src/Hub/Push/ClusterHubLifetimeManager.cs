using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Backplane;
using SignalRChat.Hub.Hosting;

namespace SignalRChat.Hub.Push;

/// <summary>
/// The hub lifetime manager of a cluster instance. Sends to a list of clients (<c>Clients.Clients</c>,
/// <c>Clients.Client</c>) go the push path: written directly to this instance's connections and sent as one backplane
/// message per other instance that holds recipients. Everything else (all, groups, users, client results) is
/// SignalR's own manager underneath: the Redis one in a cluster, the in-memory one in embedded mode.
/// IDs may be client IDs (<c>{instanceId}/{connectionId}</c>) or, as SignalR allows, plain connection IDs.
/// </summary>
internal sealed class ClusterHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly HubLifetimeManager<THub> _inner;
    private readonly LocalConnections _local;
    private readonly IPushBackplane _backplane;
    private readonly string _instanceId;
    private readonly bool _stock;

    public ClusterHubLifetimeManager(HubLifetimeManager<THub> inner, LocalConnections local, IPushBackplane backplane,
        InstanceIdentity instance, IOptions<PushOptions> options)
    {
        _inner = inner;
        _local = local;
        _backplane = backplane;
        _instanceId = instance.Id;
        _stock = options.Value.Strategy == PushStrategy.StockBackplane;
    }

    /// <inheritdoc/>
    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _local.Add(connection);
        return _inner.OnConnectedAsync(connection);
    }

    /// <inheritdoc/>
    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _local.Remove(connection);
        return _inner.OnDisconnectedAsync(connection);
    }

    /// <inheritdoc/>
    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (_stock)
        {
            return _inner.SendConnectionsAsync(ToConnectionIds(connectionIds), methodName, args, cancellationToken);
        }
        var recipients = RecipientGroups.Create(connectionIds, _instanceId, _local);
        var message = new SerializedHubMessage(new InvocationMessage(methodName, args));
        if (recipients.Local.Count > 0)
        {
            _local.Write(message, recipients.Local);
        }
        var unrouted = recipients.Unrouted.Count > 0
            ? _inner.SendConnectionsAsync(recipients.Unrouted, methodName, args, cancellationToken)
            : Task.CompletedTask;
        if (recipients.Remote.Count > 0)
        {
            _backplane.Send(recipients.Remote, message);
        }
        return unrouted;
    }

    /// <inheritdoc/>
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendAllAsync(methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _inner.SendAllExceptAsync(methodName, args, ToConnectionIds(excludedConnectionIds), cancellationToken);

    /// <inheritdoc/>
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendGroupAsync(groupName, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _inner.SendGroupExceptAsync(groupName, methodName, args, ToConnectionIds(excludedConnectionIds), cancellationToken);

    /// <inheritdoc/>
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUserAsync(userId, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUsersAsync(userIds, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _inner.AddToGroupAsync(ClientId.ToConnectionId(connectionId), groupName, cancellationToken);

    /// <inheritdoc/>
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _inner.RemoveFromGroupAsync(ClientId.ToConnectionId(connectionId), groupName, cancellationToken);

    /// <inheritdoc/>
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _inner.InvokeConnectionAsync<T>(ClientId.ToConnectionId(connectionId), methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        _inner.SetConnectionResultAsync(connectionId, result);

    /// <inheritdoc/>
    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _inner.TryGetReturnType(invocationId, out type);

    /// <inheritdoc/>
    public void Dispose() => (_inner as IDisposable)?.Dispose();

    private static string[] ToConnectionIds(IReadOnlyList<string> ids) => ids.Select(ClientId.ToConnectionId).ToArray();
}
