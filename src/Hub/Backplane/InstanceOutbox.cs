using System.Threading.Channels;
using SignalRChat.Hub.Push;
using StackExchange.Redis;

namespace SignalRChat.Hub.Backplane;

/// <summary>
/// The bounded queue of backplane messages towards one channel, and the loop that publishes them in order,
/// pipelining up to <see cref="MaxInFlight"/> publishes. A publish that reaches no subscriber is dropped and counted,
/// never retried. An outbox made with <c>closeWhenUnheard</c> retires when such a publish leaves its queue empty (an
/// instance that went away stops costing a loop), or when <see cref="Retire"/> is called for an instance known gone.
/// </summary>
internal sealed class InstanceOutbox
{
    private const int MaxInFlight = 64;
    private readonly Channel<Item> _queue;
    private readonly ISubscriber _subscriber;
    private readonly bool _closeWhenUnheard;
    private readonly Action<InstanceOutbox> _onClosed;
    private readonly PushMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Task _pump;
    private volatile bool _closed; // takes no more messages: shutting down, or retired
    private volatile bool _gone;   // retired: what is queued is dropped, not published

    public InstanceOutbox(string name, RedisChannel channel, int capacity, bool closeWhenUnheard, ISubscriber subscriber,
        Action<InstanceOutbox> onClosed, PushMetrics metrics, ILogger logger)
    {
        Name = name;
        Channel = channel;
        Capacity = capacity;
        _closeWhenUnheard = closeWhenUnheard;
        _subscriber = subscriber;
        _onClosed = onClosed;
        _metrics = metrics;
        _logger = logger;
        _queue = System.Threading.Channels.Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The target instance ID, or the name of a shared channel.</summary>
    public string Name { get; }

    public RedisChannel Channel { get; }

    public int Capacity { get; }

    public OutboxWrite TryEnqueue(byte[] envelope, int recipients) =>
        _queue.Writer.TryWrite(new Item(envelope, recipients)) ? OutboxWrite.Queued
        : _closed ? OutboxWrite.Closed
        : OutboxWrite.Full;

    /// <summary>Stops at once, dropping and counting what is queued: the instance is known to be gone.</summary>
    public void Retire()
    {
        if (_gone)
        {
            return;
        }
        _gone = true;
        _closed = true;
        _queue.Writer.TryComplete();
        _onClosed(this);
    }

    /// <summary>Stops taking messages and waits, up to <paramref name="timeout"/>, for the queued ones to be published.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        _closed = true;
        _queue.Writer.TryComplete();
        await _pump.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task PumpAsync()
    {
        var batch = new List<(Item Item, Task<long> Publish)>(MaxInFlight);
        var reader = _queue.Reader;
        try
        {
            while (!_gone && await reader.WaitToReadAsync())
            {
                while (batch.Count < MaxInFlight && reader.TryRead(out var item))
                {
                    batch.Add((item, _subscriber.PublishAsync(Channel, item.Envelope)));
                }
                var unheard = false;
                foreach (var (item, publish) in batch)
                {
                    unheard |= await CompleteAsync(item, publish);
                }
                batch.Clear();
                if (unheard && _closeWhenUnheard && reader.Count == 0)
                {
                    Retire();
                }
            }
        }
        catch (Exception e)
        {
            // A broken loop would leave the queue to fill and refuse every later push: retire instead.
            PushLog.PublishFailed(_logger, e, batch.Sum(b => b.Item.Recipients), Channel.ToString());
            _metrics.OnPublishFailed(batch.Sum(b => b.Item.Recipients));
            Retire();
        }
        // Retired: whatever is still queued can never be delivered.
        while (reader.TryRead(out var left))
        {
            _metrics.OnInstanceGone(left.Recipients);
        }
    }

    /// <returns>True when the publish reached no subscriber: the message was dropped.</returns>
    private async Task<bool> CompleteAsync(Item item, Task<long> publish)
    {
        long receivers;
        try
        {
            receivers = await publish.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PushLog.PublishFailed(_logger, e, item.Recipients, Channel.ToString());
            _metrics.OnPublishFailed(item.Recipients);
            return false;
        }
        _metrics.OnPublished();
        if (receivers > 0 || !_closeWhenUnheard)
        {
            return false;
        }
        PushLog.InstanceGone(_logger, item.Recipients, Name);
        _metrics.OnInstanceGone(item.Recipients);
        return true;
    }

    private readonly record struct Item(byte[] Envelope, int Recipients);
}

internal enum OutboxWrite
{
    Queued,
    Full,
    Closed,
}
