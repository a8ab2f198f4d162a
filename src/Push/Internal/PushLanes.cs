namespace SignalRChat.Push.Internal;

/// <summary>
/// The queue of the push path's loops (<see cref="InstanceOutbox"/>, <see cref="ConnectionWriter"/>): one lane per
/// <see cref="PushPriority"/>, read highest first, each lane in order. A lane holds up to its capacity; past it,
/// <see cref="PushPriority.System"/> and <see cref="PushPriority.Chat"/> writes are refused (the writer backs off or
/// waits), unless forced, while a <see cref="PushPriority.Presence"/> write drops the lane's oldest item. A presence
/// item with a replacement key takes the place of the queued one with the same key and the same recipients: it goes
/// to the end of the lane, so that it still follows every update queued before it. One reader, any writers.
/// </summary>
/// <param name="capacity">Items a lane holds before refusing (or, for presence, dropping).</param>
/// <param name="recipientsHash">A hash of an item's recipients.</param>
/// <param name="sameRecipients">Whether two items go to the same recipients.</param>
/// <param name="discarded">Told of each presence item that leaves unread: replaced (true) or dropped for room (false).</param>
internal sealed class PushLanes<T>(int capacity, Func<T, int> recipientsHash, Func<T, T, bool> sameRecipients, Action<T, bool> discarded) where T : class
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _system = new();
    private readonly Queue<T> _chat = new();
    private readonly LinkedList<(T Item, Replaceable? Key)> _presence = new();
    private readonly Dictionary<Replaceable, LinkedListNode<(T Item, Replaceable? Key)>> _latest = [];
    private TaskCompletionSource<bool>? _readable;
    private TaskCompletionSource? _roomInSystem;
    private TaskCompletionSource? _roomInChat;
    private bool _completed;

    /// <summary>Items queued, every lane together.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _system.Count + _chat.Count + _presence.Count;
            }
        }
    }

    /// <summary>Queues an item.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its lane.</param>
    /// <param name="replacementKey">For presence: what it replaces while queued (<see cref="PushClass.ReplacementKey"/>); null for nothing.</param>
    /// <param name="force">Queue a system or chat item even past the lane's capacity.</param>
    public LaneWrite TryWrite(T item, PushPriority priority, string? replacementKey = null, bool force = false)
    {
        T? dropped = default;
        var replaced = false;
        TaskCompletionSource<bool>? readable;
        Replaceable? key = priority == PushPriority.Presence && replacementKey is not null
            ? new Replaceable(replacementKey, recipientsHash(item))
            : null;
        lock (_lock)
        {
            if (_completed)
            {
                return LaneWrite.Closed;
            }
            if (priority == PushPriority.Presence)
            {
                (dropped, replaced) = MakeRoomForPresence(item, key);
                var node = _presence.AddLast((item, key));
                if (key is { } replaceable)
                {
                    _latest[replaceable] = node;
                }
            }
            else
            {
                var lane = priority == PushPriority.System ? _system : _chat;
                if (lane.Count >= capacity && !force)
                {
                    return LaneWrite.Full;
                }
                lane.Enqueue(item);
            }
            readable = _readable;
            _readable = null;
        }
        if (dropped is not null)
        {
            discarded(dropped, replaced);
        }
        readable?.TrySetResult(true);
        return LaneWrite.Queued;
    }

    /// <summary>Waits until the lane has room for an unforced write, or the queue is closed.</summary>
    public Task WaitForRoomAsync(PushPriority priority)
    {
        lock (_lock)
        {
            if (_completed || priority == PushPriority.Presence)
            {
                return Task.CompletedTask;
            }
            if (priority == PushPriority.System)
            {
                return _system.Count < capacity ? Task.CompletedTask
                    : (_roomInSystem ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            return _chat.Count < capacity ? Task.CompletedTask
                : (_roomInChat ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>The next item: the oldest of the highest lane that has one.</summary>
    public bool TryRead(out T item)
    {
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            if (_system.TryDequeue(out item!))
            {
                if (_system.Count < capacity)
                {
                    (room, _roomInSystem) = (_roomInSystem, null);
                }
            }
            else if (_chat.TryDequeue(out item!))
            {
                if (_chat.Count < capacity)
                {
                    (room, _roomInChat) = (_roomInChat, null);
                }
            }
            else if (_presence.First is { } first)
            {
                item = first.Value.Item;
                Unlink(first);
            }
            else
            {
                return false;
            }
        }
        room?.TrySetResult();
        return true;
    }

    /// <summary>Completes when an item can be read (true), or when the queue is completed and empty (false).</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_lock)
        {
            if (_system.Count + _chat.Count + _presence.Count > 0)
            {
                return new ValueTask<bool>(true);
            }
            if (_completed)
            {
                return new ValueTask<bool>(false);
            }
            _readable ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask<bool>(_readable.Task);
        }
    }

    /// <summary>Takes no more items; what is queued can still be read.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? readable;
        TaskCompletionSource? roomInSystem, roomInChat;
        lock (_lock)
        {
            _completed = true;
            (readable, _readable) = (_readable, null);
            (roomInSystem, _roomInSystem) = (_roomInSystem, null);
            (roomInChat, _roomInChat) = (_roomInChat, null);
        }
        readable?.TrySetResult(false);
        roomInSystem?.TrySetResult();
        roomInChat?.TrySetResult();
    }

    /// <returns>The queued presence item that leaves for the new one, if any, and whether it was replaced (else dropped for room).</returns>
    private (T? Left, bool Replaced) MakeRoomForPresence(T item, Replaceable? key)
    {
        if (key is { } replaceable && _latest.TryGetValue(replaceable, out var previous) && sameRecipients(previous.Value.Item, item))
        {
            Unlink(previous);
            return (previous.Value.Item, true);
        }
        if (_presence.Count >= capacity && _presence.First is { } oldest)
        {
            Unlink(oldest);
            return (oldest.Value.Item, false);
        }
        return (null, false);
    }

    private void Unlink(LinkedListNode<(T Item, Replaceable? Key)> node)
    {
        _presence.Remove(node);
        if (node.Value.Key is { } key && _latest.TryGetValue(key, out var latest) && latest == node)
        {
            _latest.Remove(key);
        }
    }

    /// <summary>A replacement key and a hash of the recipients: queued items with equal ones, and the same recipients, replace each other.</summary>
    private readonly record struct Replaceable(string Key, int RecipientsHash);
}

internal enum LaneWrite
{
    Queued,
    Full,
    Closed,
}
