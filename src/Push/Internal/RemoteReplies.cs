using System.Collections.Concurrent;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Requests to other instances that wait for a reply by correlation ID: the instance that holds the connection
/// answers, the others say <see cref="ItemKind.NotFound"/>. Once as many instances as heard the request said not
/// found, nobody holds the connection, and the request ends with <see cref="Outcome.NotFound"/>. Replies may arrive
/// before the publish that sent the request reports how many heard it.
/// </summary>
internal sealed class RemoteReplies
{
    private readonly ConcurrentDictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);

    public enum Outcome
    {
        Done,
        NotFound,
    }

    /// <summary>Starts waiting for the reply to <paramref name="id"/>; <paramref name="onOutcome"/> runs once, with the outcome.</summary>
    public void Add(string id, Action<Outcome> onOutcome) => _waiters[id] = new Waiter(onOutcome);

    /// <summary>The request reached <paramref name="instances"/> other instances.</summary>
    public void Heard(string id, long instances)
    {
        if (_waiters.TryGetValue(id, out var waiter) && waiter.Expect(instances))
        {
            Finish(id, Outcome.NotFound);
        }
    }

    public void OnNotFound(string id)
    {
        if (_waiters.TryGetValue(id, out var waiter) && waiter.CountNotFound())
        {
            Finish(id, Outcome.NotFound);
        }
    }

    /// <summary>The instance holding the connection replied.</summary>
    public void OnDone(string id) => Finish(id, Outcome.Done);

    public void Remove(string id) => _waiters.TryRemove(id, out _);

    private void Finish(string id, Outcome outcome)
    {
        if (_waiters.TryRemove(id, out var waiter))
        {
            waiter.OnOutcome(outcome);
        }
    }

    private sealed class Waiter(Action<Outcome> onOutcome)
    {
        private readonly Lock _lock = new();
        private long _expected = -1;
        private long _notFound;

        public Action<Outcome> OnOutcome { get; } = onOutcome;

        /// <returns>True when every instance that heard the request already said not found.</returns>
        public bool Expect(long instances)
        {
            lock (_lock)
            {
                _expected = instances;
                return _notFound >= _expected;
            }
        }

        /// <returns>True when every instance that heard the request has now said not found.</returns>
        public bool CountNotFound()
        {
            lock (_lock)
            {
                _notFound++;
                return _expected >= 0 && _notFound >= _expected;
            }
        }
    }
}
