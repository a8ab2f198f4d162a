using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SignalRChat.Push.Internal;

/// <summary>
/// The one place a hub's sends are written to this instance's connections, local and received alike. Sends queue by
/// class (<see cref="PushLanes{T}"/>), and one loop writes them, system before chat before presence and each class in
/// order: what queued while it was writing goes out as runs, consecutive sends of one class to the same recipients
/// joined into one write per connection (<see cref="PushRuns"/>). At a low rate each send is written alone, at once.
/// A write never waits for a client: a slow client's writes queue on its own connection, by class
/// (<see cref="ConnectionBacklog"/>). A client is disconnected
/// when a write finds <see cref="ClusterBackplaneOptions.SlowClientBufferBytes"/> already waiting for it, or finds its
/// writes waiting for <see cref="ClusterBackplaneOptions.SlowClientTimeout"/> without any completing. A burst to a
/// client that keeps reading completes writes all along, and a write is never refused for its own size.
/// </summary>
internal sealed class ConnectionWriter
{
    private const int MaxSendsPerRun = 64;
    private const int MaxRunBytes = 256 * 1024;
    private readonly PushLanes<Send> _queue;
    private readonly long _limitBytes;
    private readonly long _limitMs;
    private readonly int _presenceCapacity;
    private readonly PushMetrics _metrics;
    private readonly ILogger _logger;

    public ConnectionWriter(ClusterBackplaneOptions options, PushMetrics metrics, ILogger logger)
    {
        _limitBytes = options.SlowClientBufferBytes;
        _limitMs = (long)options.SlowClientTimeout.TotalMilliseconds;
        _presenceCapacity = options.OutboxCapacity;
        _metrics = metrics;
        _logger = logger;
        _queue = new PushLanes<Send>(options.OutboxCapacity, send => PushRuns.HashConnections(send.Recipients), (a, b) => PushRuns.SameConnections(a.Recipients, b.Recipients),
            (send, replaced) => metrics.OnDiscarded(send.Recipients.Count * send.Messages, replaced));
        // A loop of this process's own, with no I/O to fail: it ends when the queue completes.
        _ = Task.Run(PumpAsync);
    }

    /// <summary>
    /// Queues a send of this instance for the connections; waits only while its class's queue is full. The message is
    /// serialized here, once per protocol the recipients speak, so a payload a protocol cannot serialize fails the caller.
    /// </summary>
    /// <param name="recipients">The connections.</param>
    /// <param name="message">The message.</param>
    /// <param name="priority">Its class.</param>
    /// <param name="replacementKey">For presence, what it replaces while queued (<see cref="PushClass.ReplacementKey"/>).</param>
    public async ValueTask WriteAsync(IReadOnlyList<LocalConnection> recipients, SerializedHubMessage message, PushPriority priority, string? replacementKey)
    {
        if (recipients.Count == 0)
        {
            return;
        }
        Serialize(recipients, message);
        await QueueAsync(new Send(recipients, message, 1, DateTime.UtcNow.Ticks, priority, replacementKey)).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues sends another instance published, serialized there. A chat send waits while the chat queue is full, as
    /// local sends do (what Redis delivers meanwhile waits in the subscription); a system send never waits, so that it
    /// overtakes the queued chat as soon as it is read.
    /// </summary>
    /// <param name="recipients">The connections.</param>
    /// <param name="message">The bytes to write.</param>
    /// <param name="messages">How many hub messages the bytes hold: a received run of sends is joined already.</param>
    /// <param name="sentAt">When the sender published it (Unix milliseconds), for the latency.</param>
    /// <param name="priority">Its class.</param>
    /// <param name="replacementKey">For presence, what it replaces while queued.</param>
    public ValueTask WriteReceivedAsync(IReadOnlyList<LocalConnection> recipients, SerializedHubMessage message, int messages, long sentAt,
        PushPriority priority, string? replacementKey)
    {
        if (recipients.Count == 0)
        {
            return ValueTask.CompletedTask;
        }
        Serialize(recipients, message);
        var send = new Send(recipients, message, messages, DateTime.UnixEpoch.Ticks + sentAt * TimeSpan.TicksPerMillisecond, priority, replacementKey);
        if (priority == PushPriority.System)
        {
            _queue.TryWrite(send, priority, replacementKey, force: true);
            return ValueTask.CompletedTask;
        }
        return QueueAsync(send);
    }

    /// <summary>Stops the loop once what is queued is written.</summary>
    public void Complete() => _queue.Complete();

    /// <summary>Queues the send, waiting while its lane is full (presence never is: its oldest send is dropped instead).</summary>
    private async ValueTask QueueAsync(Send send)
    {
        while (_queue.TryWrite(send, send.Priority, send.ReplacementKey) == LaneWrite.Full)
        {
            await _queue.WaitForRoomAsync(send.Priority).ConfigureAwait(false);
        }
    }

    private static void Serialize(IReadOnlyList<LocalConnection> recipients, SerializedHubMessage message)
    {
        IHubProtocol? serialized = null;
        // Indexed loops here and below: a foreach over the interface would allocate an enumerator per send.
        for (var i = 0; i < recipients.Count; i++)
        {
            var protocol = recipients[i].Context.Protocol;
            if (!ReferenceEquals(protocol, serialized))
            {
                serialized = protocol;
                message.GetSerializedMessage(serialized);
            }
        }
    }

    private async Task PumpAsync()
    {
        var run = new List<SerializedHubMessage>(MaxSendsPerRun);
        Send? next = null;
        while (next is not null || await _queue.WaitToReadAsync())
        {
            if (next is null && !_queue.TryRead(out next))
            {
                continue;
            }
            var first = next;
            next = null;
            var messages = first.Messages;
            var now = DateTime.UtcNow.Ticks;
            _metrics.OnLatency(Math.Max(0, now - first.SentAt) / (double)TimeSpan.TicksPerMillisecond);
            try
            {
                run.Clear();
                run.Add(first.Message);
                var protocol = first.Recipients[0].Context.Protocol;
                var bytes = first.Message.GetSerializedMessage(protocol).Length;
                while (run.Count < MaxSendsPerRun && bytes < MaxRunBytes && _queue.TryRead(out var candidate))
                {
                    if (!Joinable(first, candidate))
                    {
                        next = candidate;
                        break;
                    }
                    run.Add(candidate.Message);
                    messages += candidate.Messages;
                    _metrics.OnLatency(Math.Max(0, now - candidate.SentAt) / (double)TimeSpan.TicksPerMillisecond);
                    bytes += candidate.Message.GetSerializedMessage(protocol).Length;
                }
                Write(first.Recipients, run.Count == 1 ? run[0] : PushRuns.Join(run, first.Recipients), messages, first.Priority, first.ReplacementKey);
            }
            catch (Exception e)
            {
                // The loop serves every connection of the hub: one bad send must not end it.
                PushLog.RunFailed(_logger, e, messages, first.Recipients.Count);
            }
        }
    }

    /// <summary>Sends join into one write when they go to the same connections in the same class, and neither replaces anything.</summary>
    private static bool Joinable(Send first, Send next) =>
        first.Priority == next.Priority && first.ReplacementKey is null && next.ReplacementKey is null
        && PushRuns.SameConnections(first.Recipients, next.Recipients);

    private void Write(IReadOnlyList<LocalConnection> recipients, SerializedHubMessage message, int messages, PushPriority priority, string? replacementKey)
    {
        var now = Environment.TickCount64;
        var writes = 0;
        for (var i = 0; i < recipients.Count; i++)
        {
            var connection = recipients[i];
            if (connection.Context.ConnectionAborted.IsCancellationRequested)
            {
                _metrics.OnClientGone(messages);
                continue;
            }
            if (Write(connection, message, messages, priority, replacementKey, now))
            {
                writes++;
            }
        }
        _metrics.OnDelivered(writes * messages, writes);
    }

    /// <returns>True when handed to the connection now; false when queued on it (counted once written), or when the
    /// client was disconnected as slow instead.</returns>
    private bool Write(LocalConnection connection, SerializedHubMessage message, int messages, PushPriority priority, string? replacementKey, long now)
    {
        long size = message.GetSerializedMessage(connection.Context.Protocol).Length;
        var waiting = Interlocked.Add(ref connection.PendingBytes, size) - size;
        if (waiting > 0)
        {
            var waited = now - Volatile.Read(ref connection.LastProgress);
            if (waiting >= _limitBytes || waited > _limitMs)
            {
                Interlocked.Add(ref connection.PendingBytes, -size);
                if (Interlocked.Exchange(ref connection.Aborted, 1) == 0)
                {
                    PushLog.SlowClient(_logger, connection.Context.ConnectionId, waiting, waited, _limitBytes, _limitMs);
                    _metrics.OnSlowClient();
                    connection.Context.Abort();
                }
                return false;
            }
        }
        else
        {
            Volatile.Write(ref connection.LastProgress, now);
        }
        // Only this loop makes a connection's backlog, so it needs no lock here.
        connection.Backlog ??= new ConnectionBacklog(connection, _metrics, _logger, _presenceCapacity);
        return connection.Backlog.Write(message, size, messages, priority, replacementKey);
    }

    /// <summary>A queued send; <c>SentAt</c> is when it began, in UTC ticks.</summary>
    private sealed record Send(IReadOnlyList<LocalConnection> Recipients, SerializedHubMessage Message, int Messages, long SentAt,
        PushPriority Priority, string? ReplacementKey);
}
