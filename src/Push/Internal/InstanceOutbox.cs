using StackExchange.Redis;

namespace SignalRChat.Push.Internal;

/// <summary>
/// The bounded queue of sends towards one channel, and the loop that publishes them, system before chat before
/// presence and each class in order (<see cref="PushLanes{T}"/>). Whatever has queued while the previous publish was
/// under way goes out as one <see cref="BackplaneMessage"/> (up to <see cref="MaxItemsPerMessage"/> items or about
/// <see cref="MaxMessageBytes"/>): under load, fewer and larger publishes, and the receiving instance writes several
/// sends to a connection at once; at a low rate, each send goes alone without waiting. A publish to an instance that
/// no subscriber heard is tried again a few times over about 3 s while the instance directory says the instance is
/// alive (it may be re-subscribing after a Redis restart, and will tell its clients to resync once it has), then
/// dropped and counted. An outbox made with <c>closeWhenUnheard</c>
/// retires when such a publish leaves its queue empty (an instance that went away stops costing a loop), or when
/// <see cref="Retire"/> is called for an instance known gone.
/// </summary>
internal sealed class InstanceOutbox
{
    private const int MaxItemsPerMessage = 64;
    private static readonly int[] UnheardRetryDelaysMs = [50, 100, 200, 400, 800, 1600];

    /// <summary>How many times a publish nobody heard is tried again.</summary>
    public static int UnheardRetries => UnheardRetryDelaysMs.Length;

    /// <summary>How long a publish nobody hears is tried again, in all, before it is dropped.</summary>
    public static TimeSpan UnheardWindow => TimeSpan.FromMilliseconds(UnheardRetryDelaysMs.Sum());

    /// <summary>Sends queued, not yet published.</summary>
    public int Depth => _queue.Count;
    private const int MaxMessageBytes = 256 * 1024;
    private readonly PushLanes<OutboxEntry> _queue;
    private readonly ISubscriber _subscriber;
    private readonly string _origin;
    private readonly bool _closeWhenUnheard;
    private readonly Action<InstanceOutbox> _onClosed;
    private readonly Func<string, bool> _isGone;
    private readonly PushMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Task _pump;
    private volatile bool _gone;   // retired: what is queued is dropped, not published

    public InstanceOutbox(string name, RedisChannel channel, int capacity, bool closeWhenUnheard, ISubscriber subscriber, string origin,
        Action<InstanceOutbox> onClosed, Func<string, bool> isGone, PushMetrics metrics, ILogger logger)
    {
        _isGone = isGone;
        _origin = origin;
        Name = name;
        Channel = channel;
        Capacity = capacity;
        _closeWhenUnheard = closeWhenUnheard;
        _subscriber = subscriber;
        _onClosed = onClosed;
        _metrics = metrics;
        _logger = logger;
        _queue = new PushLanes<OutboxEntry>(capacity, entry => entry.Item.RecipientsHash(), (a, b) => a.Item.SameRecipients(b.Item), OnDiscarded);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The target instance ID, or the name of a shared channel.</summary>
    public string Name { get; }

    public RedisChannel Channel { get; }

    public int Capacity { get; }

    /// <param name="item">What to publish.</param>
    /// <param name="heard">
    /// Completed once the item is published, with how many subscribers heard the publish that carried it (0 when it
    /// was dropped), or failed when publishing failed. Requests wait for it; sends do not need it.
    /// </param>
    public LaneWrite TryEnqueue(BackplaneItem item, TaskCompletionSource<long>? heard = null) =>
        _queue.TryWrite(new OutboxEntry(item, heard), item.Priority, item.ReplacementKey);

    /// <summary>Stops at once, dropping and counting what is queued: the instance is known to be gone.</summary>
    public void Retire()
    {
        if (_gone)
        {
            return;
        }
        _gone = true;
        _queue.Complete();
        _onClosed(this);
    }

    /// <summary>Stops taking messages and waits, up to <paramref name="timeout"/>, for the queued ones to be published.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        _queue.Complete();
        await _pump.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task PumpAsync()
    {
        var writer = new BackplaneMessage.Writer(_origin);
        var batch = new List<OutboxEntry>(MaxItemsPerMessage);
        var recipients = 0;
        try
        {
            while (!_gone && await _queue.WaitToReadAsync())
            {
                batch.Clear();
                recipients = 0;
                while (writer.Items < MaxItemsPerMessage && writer.Length < MaxMessageBytes && _queue.TryRead(out var entry))
                {
                    writer.Add(entry.Item);
                    batch.Add(entry);
                    recipients += entry.Item.Recipients;
                }
                var heard = await PublishUntilHeardAsync(writer.ToArrayAndReset(), recipients);
                foreach (var entry in batch)
                {
                    entry.Report(heard);
                }
                if (heard == 0 && _closeWhenUnheard && _queue.Count == 0)
                {
                    Retire();
                }
            }
        }
        catch (Exception e)
        {
            // A broken loop would leave the queue to fill and refuse every later push: retire instead.
            PushLog.PublishFailed(_logger, e, recipients, Channel.ToString());
            _metrics.OnPublishFailed(recipients);
            Retire();
        }
        // Retired: whatever is still queued can never be delivered.
        while (_queue.TryRead(out var left))
        {
            _metrics.OnInstanceGone(left.Item.Recipients);
            left.Report(0);
        }
    }

    /// <summary>A presence send replaced by a newer one, or dropped for room, while it waited.</summary>
    private void OnDiscarded(OutboxEntry entry, bool replaced)
    {
        _metrics.OnDiscarded(entry.Item.Recipients, replaced);
        entry.Report(0);
    }

    /// <summary>Publishes; towards an instance the directory says is alive, a publish nobody heard is tried again (the
    /// queue behind it waits, so order is kept), a few times over about 3 s.</summary>
    /// <returns>How many subscribers heard the publish (0: its items were dropped), or -1 when publishing failed.</returns>
    private async Task<long> PublishUntilHeardAsync(byte[] message, int recipients)
    {
        var heard = await PublishAsync(message, recipients).ConfigureAwait(false);
        for (var attempt = 0; heard == 0 && _closeWhenUnheard && attempt < UnheardRetryDelaysMs.Length && !_gone && !_isGone(Name); attempt++)
        {
            await Task.Delay(UnheardRetryDelaysMs[attempt]).ConfigureAwait(false);
            heard = await PublishAsync(message, recipients).ConfigureAwait(false);
        }
        if (heard == 0 && _closeWhenUnheard)
        {
            PushLog.InstanceGone(_logger, recipients, Name);
            _metrics.OnInstanceGone(recipients);
        }
        return heard;
    }

    /// <returns>How many subscribers heard the publish, or -1 when publishing failed.</returns>
    private async Task<long> PublishAsync(byte[] message, int recipients)
    {
        long receivers;
        try
        {
            receivers = await _subscriber.PublishAsync(Channel, message).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PushLog.PublishFailed(_logger, e, recipients, Channel.ToString());
            _metrics.OnPublishFailed(recipients);
            return -1;
        }
        _metrics.OnPublished();
        return receivers;
    }

    /// <summary>A queued item, and who waits to hear how its publish went.</summary>
    private sealed record OutboxEntry(BackplaneItem Item, TaskCompletionSource<long>? Heard)
    {
        public void Report(long heard)
        {
            if (heard >= 0)
            {
                Heard?.TrySetResult(heard);
            }
            else
            {
                Heard?.TrySetException(new RedisException("Publishing to the backplane failed; see the PushPublishFailed log."));
            }
        }
    }
}
