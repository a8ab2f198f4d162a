using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace SignalRChat.Push.Internal;

/// <summary>
/// One hub's backplane over Redis pub/sub. Sends to client IDs: one message to each instance's own channel carrying
/// only its recipients (<see cref="PushStrategy.PerInstance"/>), or one message on the shared channel carrying every
/// remote recipient (<see cref="PushStrategy.FanOutOnRead"/>). Sends to all, groups, users and plain connection IDs
/// go once on the shared channel, and each instance resolves them against its own connections (fan-out on read).
/// Requests and replies between instances are published at once on the target's channel. Either way the message is
/// serialized once per protocol, on the sender. When the subscription connection comes back after a loss, this
/// instance may have missed messages: once Redis has it subscribed again, it has its clients told to resync.
/// </summary>
internal sealed class RedisHubBackplane : IHubBackplane
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResubscribeWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ResubscribeCheckInterval = TimeSpan.FromMilliseconds(100);

    // The shared outbox's key: '*' can never be part of an instance ID.
    private const string SharedOutbox = "*";
    private readonly BackplaneHost _host;
    private readonly BackplaneChannels _channels;
    private readonly string _instanceId;
    private readonly byte[] _ownClientIdPrefix; // "{instanceId}/" in UTF-8: the client IDs this instance delivers to
    private readonly InstanceDirectory _directory;
    private readonly IHubProtocolResolver _protocols;
    private readonly ClusterBackplaneOptions _options;
    private readonly PushMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Func<IReadOnlyList<BackplaneItem>, long, ValueTask> _receive;
    private readonly Func<Task> _resync;
    private readonly ConcurrentDictionary<string, InstanceOutbox> _outboxes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly List<ChannelMessageQueue> _subscriptions = [];
    private volatile bool _started;
    private volatile bool _stopped;

    public RedisHubBackplane(BackplaneHost host, string hubName, string instanceId, InstanceDirectory directory, IHubProtocolResolver protocols,
        ClusterBackplaneOptions options, PushMetrics metrics, ILogger logger, Func<IReadOnlyList<BackplaneItem>, long, ValueTask> receive,
        Func<Task> resync)
    {
        _resync = resync;
        _host = host;
        _channels = new BackplaneChannels(options.ChannelPrefix, hubName);
        _instanceId = instanceId;
        _ownClientIdPrefix = Encoding.UTF8.GetBytes($"{instanceId}/");
        _directory = directory;
        _protocols = protocols;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _receive = receive;
        metrics.TrackOutboxDepth(() => _outboxes.Values.Sum(outbox => outbox.Depth));
    }

    public async Task StartAsync()
    {
        if (_started)
        {
            return;
        }
        await _starting.WaitAsync();
        try
        {
            if (_started)
            {
                return;
            }
            var subscriber = _host.Redis.GetSubscriber();
            try
            {
                foreach (var channel in new[] { _channels.Instance(_instanceId), _channels.All })
                {
                    var queue = await subscriber.SubscribeAsync(channel);
                    queue.OnMessage(ReceiveAsync);
                    _subscriptions.Add(queue);
                }
            }
            catch
            {
                // All or nothing: a retry must not read a channel twice.
                foreach (var queue in _subscriptions)
                {
                    await queue.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                _subscriptions.Clear();
                throw;
            }
            _host.Redis.ConnectionRestored += OnConnectionRestored;
            _started = true;
        }
        finally
        {
            _starting.Release();
        }
    }

    public async Task StopAsync()
    {
        _stopped = true;
        if (_started)
        {
            _host.Redis.ConnectionRestored -= OnConnectionRestored;
        }
        await Task.WhenAll(_outboxes.Values.Select(o => o.CloseAsync(DrainTimeout)));
        foreach (var queue in _subscriptions)
        {
            await queue.UnsubscribeAsync().WaitAsync(DrainTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public IReadOnlyList<SerializedMessage> Serialize(SerializedHubMessage message) =>
        [.. _protocols.AllProtocols.Select(p => new SerializedMessage(p.Name, message.GetSerializedMessage(p)))];

    public void SendToClients(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message, PushPriority priority, string? replacementKey)
    {
        if (_stopped)
        {
            // This instance has stopped: nothing it queues now would be published.
            _metrics.OnPublishFailed(recipientsByInstance.Values.Sum(ids => ids.Count));
            return;
        }
        var serialized = Serialize(message);
        if (_options.Strategy == PushStrategy.FanOutOnRead)
        {
            var everyone = recipientsByInstance.Values.SelectMany(ids => ids).ToList();
            ThrowIfFull(Enqueue(OutboxFor(SharedOutbox), new BackplaneItem(ItemKind.Clients, everyone, serialized) { Priority = priority, ReplacementKey = replacementKey }) is { } full ? [full] : []);
            return;
        }

        List<string> fullOutboxes = [];
        foreach (var (instanceId, clientIds) in recipientsByInstance)
        {
            if (_directory.IsGone(instanceId))
            {
                PushLog.InstanceGone(_logger, clientIds.Count, instanceId);
                _metrics.OnInstanceGone(clientIds.Count);
                if (_outboxes.TryGetValue(instanceId, out var stale))
                {
                    stale.Retire();
                }
                continue;
            }
            if (Enqueue(OutboxFor(instanceId), new BackplaneItem(ItemKind.Clients, clientIds, serialized) { Priority = priority, ReplacementKey = replacementKey }) is { } fullInstance)
            {
                fullOutboxes.Add(fullInstance);
            }
        }
        ThrowIfFull(fullOutboxes);
    }

    public void Broadcast(BackplaneItem item)
    {
        if (_stopped)
        {
            _metrics.OnPublishFailed(item.Recipients);
            return;
        }
        ThrowIfFull(Enqueue(OutboxFor(SharedOutbox), item) is { } full ? [full] : []);
    }

    public async Task<long> PublishAsync(string? instanceId, BackplaneItem item)
    {
        if (_stopped)
        {
            return 0; // nobody will hear it: this instance has stopped
        }
        // Through the outbox, behind what this instance sent to the same channel before: a request never overtakes a send.
        var heard = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        ThrowIfFull(Enqueue(OutboxFor(instanceId ?? SharedOutbox), item, heard) is { } full ? [full] : []);
        var instances = await heard.Task;
        // The shared channel reaches this instance too, which ignores its own messages.
        return instanceId is null ? Math.Max(0, instances - 1) : instances;
    }

    /// <returns>The outbox's name when it is full; null when the item was queued or dropped.</returns>
    private string? Enqueue(InstanceOutbox outbox, BackplaneItem item, TaskCompletionSource<long>? heard = null)
    {
        switch (outbox.TryEnqueue(item, heard))
        {
            case LaneWrite.Queued:
                return null;
            case LaneWrite.Closed:
                _metrics.OnInstanceGone(item.Recipients);
                heard?.TrySetResult(0);
                return null;
            default:
                var target = outbox.Name == SharedOutbox ? "all instances (shared channel)" : outbox.Name;
                PushLog.OutboxFull(_logger, target, outbox.Capacity);
                _metrics.OnRefused();
                return target;
        }
    }

    private void ThrowIfFull(List<string> fullOutboxes)
    {
        if (fullOutboxes.Count > 0)
        {
            throw new OutboxFullException(fullOutboxes, _options.OutboxCapacity);
        }
    }

    /// <summary>The outbox of an instance, or the shared one; a retired outbox is replaced by a new one.</summary>
    private InstanceOutbox OutboxFor(string key)
    {
        if (_outboxes.TryGetValue(key, out var outbox))
        {
            return outbox;
        }
        // Under a lock so that two sends never start two publish loops for one instance.
        lock (_outboxes)
        {
            if (_outboxes.TryGetValue(key, out outbox))
            {
                return outbox;
            }
            var shared = key == SharedOutbox;
            return _outboxes[key] = new InstanceOutbox(key, shared ? _channels.All : _channels.Instance(key),
                _options.OutboxCapacity, closeWhenUnheard: !shared, _host.Redis.GetSubscriber(), _instanceId,
                closed => _outboxes.TryRemove(new KeyValuePair<string, InstanceOutbox>(closed.Name, closed)), _directory.IsGone, _metrics, _logger);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && !_stopped)
        {
            _ = ResyncWhenSubscribedAsync();
        }
    }

    /// <summary>Waits (up to <see cref="ResubscribeWait"/>) until Redis counts this instance's channel subscribed
    /// again, which the multiplexer does on its own after a reconnect, then has the clients told to resync: told
    /// earlier, they could catch up before messages published in between reach this instance.</summary>
    private async Task ResyncWhenSubscribedAsync()
    {
        var channel = _channels.Instance(_instanceId).ToString();
        for (var waited = TimeSpan.Zero; waited < ResubscribeWait && !_stopped; waited += ResubscribeCheckInterval)
        {
            try
            {
                var reply = (RedisResult[])(await _host.Redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
                if (reply.Length == 2 && (long)reply[1] > 0)
                {
                    break;
                }
            }
            catch (RedisException)
            {
                // Redis is still coming back: ask again.
            }
            await Task.Delay(ResubscribeCheckInterval).ConfigureAwait(false);
        }
        if (!_stopped)
        {
            await _resync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReceiveAsync(ChannelMessage message)
    {
        string origin;
        long sentAt;
        IReadOnlyList<BackplaneItem> items;
        try
        {
            (origin, sentAt, items) = BackplaneMessage.Decode((ReadOnlyMemory<byte>)message.Message, _ownClientIdPrefix);
        }
        catch (FormatException e)
        {
            PushLog.MalformedEnvelope(_logger, e, message.Channel.ToString());
            return;
        }
        if (origin == _instanceId)
        {
            // Our own send on the shared channel: this instance served its own connections when it sent it.
            return;
        }
        _metrics.OnReceived();
        try
        {
            await _receive(items, sentAt);
        }
        catch (Exception e)
        {
            PushLog.ReceiveFailed(_logger, e, items.Count, message.Channel.ToString());
        }
    }
}
