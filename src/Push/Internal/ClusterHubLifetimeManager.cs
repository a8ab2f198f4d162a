using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace SignalRChat.Push.Internal;

/// <summary>
/// The hub lifetime manager of a cluster instance, for any hub. Every SignalR operation (all, all-except, groups,
/// users, connections, client results) is resolved against this instance's connections and written through one
/// <see cref="ConnectionWriter"/>, and crosses the backplane over two channels per hub: sends to client IDs go to the
/// instances that hold them; sends to all, groups, users and plain connection IDs go once on the shared channel and
/// every instance resolves them against its own connections (fan-out on read). No Redis command or subscription is
/// spent per connection, group or user.
/// </summary>
internal sealed partial class ClusterHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(15); // SignalR's
    private const string ResyncReason = "This server may have missed messages for you: fetch what you may have missed, as after a reconnect.";
    private readonly HubConnections _connections;
    private readonly ConnectionWriter _writer;
    private readonly KeepAlivePings _keepAlive;
    private readonly IHubBackplane _backplane;
    private readonly ClientResults _results = new();
    private readonly RemoteReplies _replies = new();
    private readonly InstanceDirectory _directory;
    private readonly IHubProtocolResolver _protocols;
    private readonly PushMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _instanceId;
    private readonly string? _resyncMethod;
    private readonly bool _priorities;

    public ClusterHubLifetimeManager(BackplaneHost host, InstanceIdentity instance, InstanceDirectory directory, IHubProtocolResolver protocols,
        IOptions<ClusterBackplaneOptions> options, IOptions<HubOptions> globalHubOptions, IOptions<HubOptions<THub>> hubOptions, PushMetrics metrics, ILogger<ClusterHubLifetimeManager<THub>> logger)
    {
        var settings = options.Value;
        _instanceId = instance.Id;
        _resyncMethod = settings.ResyncMethod;
        _priorities = settings.Priorities;
        _directory = directory;
        _protocols = protocols;
        _metrics = metrics;
        _logger = logger;
        _connections = new HubConnections(_instanceId);
        _writer = new ConnectionWriter(settings, metrics, logger);
        _keepAlive = new KeepAlivePings(TakeOverKeepAlive(hubOptions.Value, globalHubOptions.Value));
        var redis = host.UsesRedis
            ? new RedisHubBackplane(host, typeof(THub).FullName!, _instanceId, directory, protocols, settings, metrics, logger, ReceiveAsync, ResyncAsync)
            : null;
        _backplane = redis ?? (IHubBackplane)new LocalOnlyBackplane(metrics, logger);
        host.Register(redis, _connections);
    }

    /// <inheritdoc/>
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        // Once per hub and process: the instance channel must be read before this instance hands out client IDs.
        await _backplane.StartAsync();
        var local = _connections.Add(connection);
        _keepAlive.Add(local, connection.Features.Get<IConnectionInherentKeepAliveFeature>()?.HasInherentKeepAlive == true);
        connection.Items[ClusterHubContextExtensions.ClientIdItem] = local.ClientId;
    }

    /// <summary>Tells every connection of this instance to resync (<see cref="ClusterBackplaneOptions.ResyncMethod"/>):
    /// backplane messages for them may have been lost.</summary>
    private async Task ResyncAsync()
    {
        if (string.IsNullOrEmpty(_resyncMethod))
        {
            return;
        }
        var everyone = _connections.All([]);
        PushLog.Resync(_logger, everyone.Count, _resyncMethod);
        await _writer.WriteAsync(everyone, new SerializedHubMessage(new InvocationMessage(_resyncMethod, [ResyncReason])), Served(PushPriority.System), null);
    }

    /// <inheritdoc/>
    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_connections.Remove(connection) is { } local)
        {
            _keepAlive.Remove(local);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendEverywhereAsync(ItemKind.All, [], [], _connections.All([]), methodName, args);

    /// <inheritdoc/>
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(excludedConnectionIds);
        return SendEverywhereAsync(ItemKind.All, [], excludedConnectionIds, _connections.All(excludedConnectionIds), methodName, args);
    }

    /// <inheritdoc/>
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        return SendGroupsAsync([groupName], methodName, args, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupNames);
        return SendEverywhereAsync(ItemKind.Groups, groupNames, [], _connections.Groups(groupNames, []), methodName, args);
    }

    /// <inheritdoc/>
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        ArgumentNullException.ThrowIfNull(excludedConnectionIds);
        return SendEverywhereAsync(ItemKind.Groups, [groupName], excludedConnectionIds, _connections.Groups([groupName], excludedConnectionIds), methodName, args);
    }

    /// <inheritdoc/>
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return SendUsersAsync([userId], methodName, args, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        return SendEverywhereAsync(ItemKind.Users, userIds, [], _connections.Users(userIds), methodName, args);
    }

    /// <inheritdoc/>
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        return SendConnectionsAsync([connectionId], methodName, args, cancellationToken);
    }

    /// <summary>
    /// Sends to client IDs (<c>{instanceId}/{connectionId}</c>) or, as SignalR allows, plain connection IDs: this
    /// instance's are written here, other instances' client IDs go to those instances, and plain IDs this instance does
    /// not hold go on the shared channel.
    /// </summary>
    /// <exception cref="ArgumentException">An ID has a '/' but is not a valid client ID; nothing is sent then.</exception>
    /// <exception cref="OutboxFullException">The outbox towards an instance is full; the other recipients were served.</exception>
    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        var recipients = RecipientGroups.Create(connectionIds, _instanceId, _connections);
        var (priority, replaces) = ClassOf(methodName);
        _metrics.OnSent();
        if (recipients.LocalGone > 0)
        {
            _metrics.OnClientGone(recipients.LocalGone);
        }
        var message = new SerializedHubMessage(new InvocationMessage(methodName, args));
        await _writer.WriteAsync(recipients.Local, message, priority, replaces);
        if (recipients.Unrouted.Count > 0)
        {
            _backplane.Broadcast(new BackplaneItem(ItemKind.Connections, recipients.Unrouted, _backplane.Serialize(message)) { Priority = priority, ReplacementKey = replaces });
        }
        if (recipients.Remote.Count > 0)
        {
            _backplane.SendToClients(recipients.Remote, message, priority, replaces);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _keepAlive.Dispose();
        _writer.Complete();
    }

    /// <summary>
    /// Returns the hub's keep-alive interval (its own, else the global one), as SignalR's connection handler takes it,
    /// and turns SignalR's pings off for the hub: <see cref="KeepAlivePings"/> sends them instead. The handler reads
    /// the hub's options after this manager is made (it is the handler's first dependency), so it sees the change.
    /// </summary>
    private static TimeSpan TakeOverKeepAlive(HubOptions<THub> hub, HubOptions global)
    {
        var interval = hub.KeepAliveInterval ?? global.KeepAliveInterval ?? DefaultKeepAliveInterval;
        hub.KeepAliveInterval = KeepAlivePings.SignalROwnOff;
        return interval;
    }

    /// <summary>Writes to this instance's <paramref name="local"/> recipients, and sends once for every other instance to resolve its own.</summary>
    private async Task SendEverywhereAsync(ItemKind kind, IReadOnlyList<string> names, IReadOnlyList<string> excluded, List<LocalConnection> local,
        string methodName, object?[] args)
    {
        var (priority, replaces) = ClassOf(methodName);
        _metrics.OnSent();
        var message = new SerializedHubMessage(new InvocationMessage(methodName, args));
        await _writer.WriteAsync(local, message, priority, replaces);
        _backplane.Broadcast(new BackplaneItem(kind, names, _backplane.Serialize(message)) { Excluded = excluded, Priority = priority, ReplacementKey = replaces });
    }

    /// <summary>The class of a send made now (<see cref="PushPriorities.Use"/>), and what it replaces while queued.</summary>
    private (PushPriority Priority, string? ReplacementKey) ClassOf(string methodName)
    {
        if (!_priorities)
        {
            return (PushPriority.Chat, null);
        }
        var current = PushPriorities.Current;
        return (current.Priority, current.ReplacementKey(methodName));
    }

    /// <summary>The lane a send of <paramref name="priority"/> takes here: its own, or chat with priorities off.</summary>
    private PushPriority Served(PushPriority priority) => _priorities ? priority : PushPriority.Chat;

    /// <summary>The local connection an ID names: a plain connection ID this instance holds, or a client ID of this instance.</summary>
    /// <param name="id">A client ID or a plain connection ID.</param>
    /// <param name="instanceId">The instance a client ID names (this one included); null for a plain connection ID.</param>
    /// <exception cref="ArgumentException">The ID has a '/' but is not a valid client ID.</exception>
    private LocalConnection? Locate(string id, out string? instanceId)
    {
        if (!id.Contains('/'))
        {
            instanceId = null;
            return _connections.Find(id);
        }
        var clientId = ClientId.Parse(id);
        instanceId = clientId.InstanceId;
        return clientId.InstanceId == _instanceId ? _connections.Find(clientId.ConnectionId) : null;
    }
}
