using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>
/// One connection's writes. At most one is in flight (handed to SignalR and not yet taken by the transport); while
/// it is, the next ones queue here by class (<see cref="PushLanes{T}"/>), so that a client that is behind gets its
/// queued system sends before its queued chat, and chat before presence, and a presence update replaces the one
/// queued for it with the same key. When the write in flight completes, what queued meanwhile goes out in order,
/// joined into one write (up to <see cref="MaxJoinedWrites"/> sends or <see cref="MaxJoinedBytes"/>). A client that
/// keeps up never queues here: each write completes as it is made.
/// </summary>
/// <param name="connection">The connection.</param>
/// <param name="metrics">Counts what is written, replaced, dropped.</param>
/// <param name="logger">Logs failed writes.</param>
/// <param name="presenceCapacity">Presence sends queued before the oldest is dropped.</param>
internal sealed class ConnectionBacklog(LocalConnection connection, PushMetrics metrics, ILogger logger, int presenceCapacity)
{
    private const int MaxJoinedWrites = 32;
    private const int MaxJoinedBytes = 16 * 1024;
    private readonly Lock _lock = new();
    private PushLanes<Queued>? _queued;
    private List<Queued>? _run;
    private bool _writing;

    /// <summary>
    /// Writes the message now, or queues it behind the write in flight. Its <paramref name="size"/> is already in the
    /// connection's <see cref="LocalConnection.PendingBytes"/>, and leaves it once the transport took it.
    /// </summary>
    /// <returns>True when handed to the connection now (the caller counts it delivered); false when queued (counted once written).</returns>
    public bool Write(SerializedHubMessage message, long size, int messages, PushPriority priority, string? replacementKey)
    {
        lock (_lock)
        {
            if (_writing)
            {
                (_queued ??= NewLanes()).TryWrite(new Queued(message, size, messages), priority, replacementKey, force: true);
                metrics.OnBacklog(size);
                return false;
            }
            _writing = true;
        }
        Hand(message, size);
        return true;
    }

    private PushLanes<Queued> NewLanes() => new(presenceCapacity, _ => 0, (_, _) => true, (dropped, replaced) =>
    {
        Interlocked.Add(ref connection.PendingBytes, -dropped.Size);
        metrics.OnBacklog(-dropped.Size);
        metrics.OnDiscarded(dropped.Messages, replaced);
    });

    /// <summary>Hands writes to the connection until one has to wait for the client, or nothing is queued.</summary>
    private void Hand(SerializedHubMessage message, long size)
    {
        while (true)
        {
            var write = connection.Context.WriteAsync(message);
            if (!write.IsCompletedSuccessfully)
            {
                _ = CompleteAsync(write, size);
                return;
            }
            Written(size);
            if (!TryTakeNext(out message, out size))
            {
                return;
            }
        }
    }

    private async Task CompleteAsync(ValueTask write, long size)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PushLog.WriteFailed(logger, e, connection.Context.ConnectionId);
        }
        Written(size);
        if (TryTakeNext(out var message, out size))
        {
            Hand(message, size);
        }
    }

    private void Written(long size)
    {
        Volatile.Write(ref connection.LastProgress, Environment.TickCount64);
        Interlocked.Add(ref connection.PendingBytes, -size);
    }

    /// <summary>The next write: what queued, highest class first, joined; or nothing, and no write is in flight any more.</summary>
    private bool TryTakeNext(out SerializedHubMessage message, out long size)
    {
        message = null!;
        size = 0;
        var messages = 0;
        var gone = connection.Context.ConnectionAborted.IsCancellationRequested;
        lock (_lock)
        {
            if (_queued is null || _queued.Count == 0)
            {
                // The usual case: nothing came while the write was in flight.
                _writing = false;
                return false;
            }
            _run ??= new List<Queued>(MaxJoinedWrites);
            _run.Clear();
            while ((gone || (_run.Count < MaxJoinedWrites && size < MaxJoinedBytes)) && _queued.TryRead(out var next))
            {
                _run.Add(next);
                size += next.Size;
                messages += next.Messages;
            }
            metrics.OnBacklog(-size);
            if (gone)
            {
                // Nothing more reaches a closed connection: what queued for it is dropped.
                _writing = false;
                Interlocked.Add(ref connection.PendingBytes, -size);
                metrics.OnClientGone(messages);
                return false;
            }
        }
        // Only the one write in flight takes from the queue, so the run is this caller's alone.
        message = _run.Count == 1 ? _run[0].Message : PushRuns.Join(_run.ConvertAll(queued => queued.Message), [connection]);
        metrics.OnDelivered(messages, 1);
        return true;
    }

    /// <summary>A send waiting for the write in flight: its bytes for this connection's protocol, and how many hub messages they hold.</summary>
    private sealed record Queued(SerializedHubMessage Message, long Size, int Messages);
}
