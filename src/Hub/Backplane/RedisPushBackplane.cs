using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Hub.Instances;
using SignalRChat.Hub.Push;
using SignalRChat.Objects.Runtime;
using StackExchange.Redis;

namespace SignalRChat.Hub.Backplane;

/// <summary>
/// The push backplane over Redis pub/sub. Per-instance strategy: one message to each instance's own channel,
/// carrying only its recipients. Fan-out on read: one message on a shared channel carrying every remote recipient;
/// each instance delivers to its own. Either way the invocation is serialized once per protocol, on the sender.
/// </summary>
internal sealed class RedisPushBackplane : IPushBackplane, IHostedService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    // The fan-out-on-read outbox's key: '*' can never be part of an instance ID.
    private const string SharedOutbox = "*";
    private readonly IConnectionMultiplexer _redis;
    private readonly InstanceIdentity _instance;
    private readonly byte[] _ownClientIdPrefix; // "{instanceId}/" in UTF-8: the client IDs this instance delivers to
    private readonly RedisInstanceDirectory _directory;
    private readonly LocalConnections _local;
    private readonly IHubProtocolResolver _protocols;
    private readonly PushOptions _options;
    private readonly PushMetrics _metrics;
    private readonly ILogger<RedisPushBackplane> _logger;
    private readonly ConcurrentDictionary<string, InstanceOutbox> _outboxes = new(StringComparer.Ordinal);
    private readonly List<ChannelMessageQueue> _subscriptions = [];
    private volatile bool _stopped;

    public RedisPushBackplane(IConnectionMultiplexer redis, InstanceIdentity instance, RedisInstanceDirectory directory, LocalConnections local,
        IHubProtocolResolver protocols, IOptions<PushOptions> options, PushMetrics metrics, ILogger<RedisPushBackplane> logger)
    {
        _redis = redis;
        _instance = instance;
        _ownClientIdPrefix = Encoding.UTF8.GetBytes($"{instance.Id}/");
        _directory = directory;
        _local = local;
        _protocols = protocols;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriber = _redis.GetSubscriber();
        foreach (var channel in new[] { BackplaneChannels.Instance(_instance.Id), BackplaneChannels.All })
        {
            var queue = await subscriber.SubscribeAsync(channel);
            queue.OnMessage(message => Receive(message));
            _subscriptions.Add(queue);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        await Task.WhenAll(_outboxes.Values.Select(o => o.CloseAsync(DrainTimeout)));
        foreach (var queue in _subscriptions)
        {
            await queue.UnsubscribeAsync();
        }
    }

    public void Send(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message)
    {
        if (_stopped)
        {
            // This instance has stopped: nothing it queues now would be published.
            _metrics.OnPublishFailed(recipientsByInstance.Values.Sum(ids => ids.Count));
            return;
        }
        var serialized = _protocols.AllProtocols.Select(p => new SerializedMessage(p.Name, message.GetSerializedMessage(p))).ToArray();
        if (_options.Strategy == PushStrategy.FanOutOnRead)
        {
            var everyone = recipientsByInstance.Values.SelectMany(ids => ids).ToList();
            var outcome = Enqueue(OutboxFor(SharedOutbox), new PushEnvelope(everyone, serialized));
            ThrowIfFull(outcome is null ? [] : [outcome]);
            return;
        }

        List<string> full = [];
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
            if (Enqueue(OutboxFor(instanceId), new PushEnvelope(clientIds, serialized)) is { } fullInstance)
            {
                full.Add(fullInstance);
            }
        }
        ThrowIfFull(full);
    }

    /// <returns>The outbox's name when it is full; null when the message was queued or dropped.</returns>
    private string? Enqueue(InstanceOutbox outbox, PushEnvelope push)
    {
        switch (outbox.TryEnqueue(push))
        {
            case OutboxWrite.Queued:
                return null;
            case OutboxWrite.Closed:
                _metrics.OnInstanceGone(push.ClientIds.Count);
                return null;
            default:
                var target = outbox.Name == SharedOutbox ? "all instances (fan-out on read)" : outbox.Name;
                PushLog.OutboxFull(_logger, target, outbox.Capacity);
                _metrics.OnRefused();
                return target;
        }
    }

    private void ThrowIfFull(List<string> fullOutboxes)
    {
        if (fullOutboxes.Count > 0)
        {
            throw new PushBackpressureException(fullOutboxes, _options.OutboxCapacity);
        }
    }

    /// <summary>The outbox of an instance, or the shared one; a retired outbox is replaced by a new one.</summary>
    private InstanceOutbox OutboxFor(string key)
    {
        if (_outboxes.TryGetValue(key, out var outbox))
        {
            return outbox;
        }
        // Under a lock so that two pushes never start two publish loops for one instance.
        lock (_outboxes)
        {
            if (_outboxes.TryGetValue(key, out outbox))
            {
                return outbox;
            }
            var shared = key == SharedOutbox;
            return _outboxes[key] = new InstanceOutbox(key, shared ? BackplaneChannels.All : BackplaneChannels.Instance(key),
                _options.OutboxCapacity, closeWhenUnheard: !shared, _redis.GetSubscriber(),
                closed => _outboxes.TryRemove(new KeyValuePair<string, InstanceOutbox>(closed.Name, closed)), _metrics, _logger);
        }
    }

    private void Receive(ChannelMessage message)
    {
        IReadOnlyList<PushEnvelope> pushes;
        try
        {
            pushes = BackplaneMessage.Decode((ReadOnlyMemory<byte>)message.Message, _ownClientIdPrefix);
        }
        catch (FormatException e)
        {
            PushLog.MalformedEnvelope(_logger, e, message.Channel.ToString());
            return;
        }
        _metrics.OnReceived();
        // Consecutive pushes to the same recipients (the decoder gives them one list) are written at once, in order.
        var first = 0;
        while (first < pushes.Count)
        {
            var end = first + 1;
            while (end < pushes.Count && ReferenceEquals(pushes[end].ClientIds, pushes[first].ClientIds) && pushes[end].HasSameProtocolsAs(pushes[first]))
            {
                end++;
            }
            var mine = OwnConnectionIds(pushes[first].ClientIds);
            if (mine.Count > 0)
            {
                var bytes = end - first == 1
                    ? new SerializedHubMessage(pushes[first].Messages)
                    : PushRuns.Join([.. pushes.Skip(first).Take(end - first).Select(p => p.Messages)]);
                _local.Write(bytes, mine, end - first);
            }
            first = end;
        }
    }

    private List<string> OwnConnectionIds(IReadOnlyList<string> clientIds)
    {
        var mine = new List<string>(clientIds.Count);
        foreach (var id in clientIds)
        {
            if (ClientId.TryParse(id, out var clientId) && clientId.InstanceId == _instance.Id)
            {
                mine.Add(clientId.ConnectionId);
            }
        }
        return mine;
    }
}
