namespace SignalRChat.Hub.Hubs;

/// <summary>The objects to tell when one connection disconnects (rooms it joined, for example).</summary>
internal sealed class WatchedObjects
{
    /// <summary>The most objects one connection can be watched by.</summary>
    public const int Limit = 1000;

    private readonly HashSet<string> _objectIds = new(StringComparer.Ordinal);

    /// <returns>False when the connection already has <see cref="Limit"/> watchers.</returns>
    public bool Add(string objectId)
    {
        lock (_objectIds)
        {
            if (_objectIds.Count >= Limit && !_objectIds.Contains(objectId))
            {
                return false;
            }
            _objectIds.Add(objectId);
            return true;
        }
    }

    public void Remove(string objectId)
    {
        lock (_objectIds)
        {
            _objectIds.Remove(objectId);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_objectIds)
        {
            return [.. _objectIds];
        }
    }
}
