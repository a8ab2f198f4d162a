using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Hubs;

/// <summary>
/// The objects to tell when one connection disconnects (rooms it joined, for example). Closed by the disconnect
/// itself: a call still running then (a Join racing the disconnect) learns it must send the notice on its own.
/// </summary>
internal sealed class WatchedObjects
{
    /// <summary>The most objects one connection can be watched by.</summary>
    public const int Limit = ObjectCaller.MaxWatchedObjects;

    private readonly HashSet<string> _objectIds = new(StringComparer.Ordinal);
    private bool _closed;

    /// <summary>False when this connection is watched by <see cref="Limit"/> objects and <paramref name="objectId"/> is not one.</summary>
    public bool MayAdd(string objectId)
    {
        lock (_objectIds)
        {
            return _objectIds.Count < Limit || _objectIds.Contains(objectId);
        }
    }

    public WatchResult Add(string objectId)
    {
        lock (_objectIds)
        {
            if (_closed)
            {
                return WatchResult.Closed;
            }
            if (_objectIds.Count >= Limit && !_objectIds.Contains(objectId))
            {
                return WatchResult.Full;
            }
            _objectIds.Add(objectId);
            return WatchResult.Added;
        }
    }

    public void Remove(string objectId)
    {
        lock (_objectIds)
        {
            _objectIds.Remove(objectId);
        }
    }

    /// <summary>Ends watching, returning the objects to tell.</summary>
    public IReadOnlyList<string> Close()
    {
        lock (_objectIds)
        {
            _closed = true;
            return [.. _objectIds];
        }
    }
}

internal enum WatchResult
{
    Added,
    Full,
    Closed,
}
