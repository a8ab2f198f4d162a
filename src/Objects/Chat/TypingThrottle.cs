namespace SignalRChat.Objects.Chat;

/// <summary>At most one <c>Typing</c> per user per <see cref="Interval"/>, for one channel or conversation; the ones
/// between are dropped. Held in memory: typing is never stored.</summary>
internal sealed class TypingThrottle
{
    /// <summary>The shortest time between two <c>Typing</c> of one user delivered in one place.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, long> _lastAt = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="user"/>'s typing should be delivered now.</summary>
    public bool Allow(string user)
    {
        var now = Environment.TickCount64;
        if (_lastAt.TryGetValue(user, out var last) && now - last < Interval.TotalMilliseconds)
        {
            return false;
        }
        _lastAt[user] = now;
        return true;
    }

    /// <summary>Forgets a user who left.</summary>
    public void Forget(string user) => _lastAt.Remove(user);
}
