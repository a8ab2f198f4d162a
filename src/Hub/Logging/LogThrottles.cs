using System.Collections.Concurrent;

namespace SignalRChat.Hub.Logging;

/// <summary>One <see cref="LogThrottle"/> per log event, shared by the process: lines that clients or load can trigger
/// at will (refusals, failed notices during a mass disconnect) reach the log at most once per 10 s per event.</summary>
internal sealed class LogThrottles
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, LogThrottle> _throttles = new(StringComparer.Ordinal);

    /// <summary>True when a line of <paramref name="eventName"/> may be logged now; <paramref name="suppressed"/> is how
    /// many were held back since the last one.</summary>
    public bool Allow(string eventName, out int suppressed) =>
        _throttles.GetOrAdd(eventName, _ => new LogThrottle(Interval)).Allow(out suppressed);
}
