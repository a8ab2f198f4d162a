namespace SignalRChat.Hub.Logging;

/// <summary>
/// Lets one log line through per interval and counts the ones it held back, so that what a client can trigger at will
/// (refusals, forged calls) cannot flood the log.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private long _nextAllowed;
    private int _suppressed;

    /// <summary>True when a line may be logged now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool Allow(out int suppressed)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextAllowed);
        if (now >= next && Interlocked.CompareExchange(ref _nextAllowed, now + (long)interval.TotalMilliseconds, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }
        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
