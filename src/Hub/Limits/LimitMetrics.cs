using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace SignalRChat.Hub.Limits;

/// <summary>Refusals by rate limits and quotas, readable in process and exported as the <c>SignalRChat.Limits</c>
/// meter, tagged by the setting that refused (<c>dotnet-counters monitor --counters SignalRChat.Limits</c>).</summary>
internal sealed class LimitMetrics
{
    public const string MeterName = "SignalRChat.Limits";

    private readonly ConcurrentDictionary<string, StrongBox<long>> _refused = new(StringComparer.Ordinal);

    public LimitMetrics(IMeterFactory meters)
    {
        meters.Create(MeterName).CreateObservableCounter("signalrchat.limits.refused",
            () => _refused.Select(r => new Measurement<long>(Volatile.Read(ref r.Value.Value), new KeyValuePair<string, object?>("limit", r.Key))),
            "{refusal}", "Calls and connections refused by a rate limit or quota, by the setting that refused them.");
    }

    /// <summary>Counts a refusal by <paramref name="setting"/> (for example <c>RateLimits:PerConnection</c>).</summary>
    public void Refused(string setting) => Interlocked.Increment(ref _refused.GetOrAdd(setting, _ => new StrongBox<long>()).Value);

    /// <summary>The refusals by <paramref name="setting"/> so far.</summary>
    public long RefusedBy(string setting) => _refused.TryGetValue(setting, out var count) ? Volatile.Read(ref count.Value) : 0;
}
