using System.Diagnostics.Metrics;
using SignalRChat.Hub.Presence;
using SignalRChat.Push;

namespace SignalRChat.Hub.Metrics;

/// <summary>
/// The hub's own measurements, exported as the <c>SignalRChat.Hub</c> meter: connections and users here, and object
/// calls by type, method and result (a chat message is a <c>SendMessage</c> call).
/// </summary>
internal sealed class HubMetrics
{
    public const string MeterName = "SignalRChat.Hub";

    /// <summary>The <c>result</c> tag of a call that succeeded.</summary>
    public const string Ok = "ok";

    /// <summary>The <c>result</c> tag of a call that failed (refused, invalid, or an error of the object).</summary>
    public const string Failed = "error";

    private readonly Counter<long> _calls;

    public HubMetrics(IMeterFactory meters, ClusterInstances instances, PresenceReporter presence)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("signalrchat.hub.connections", () => instances.LocalConnections, "{connection}", "Connections this instance holds.");
        meter.CreateObservableGauge("signalrchat.hub.users", () => presence.LocalUsers, "{user}", "Users with at least one connection to this instance (their presence is online).");
        _calls = meter.CreateCounter<long>("signalrchat.hub.calls", "{call}", "Object calls by clients of this instance, by object type, method and result.");
    }

    /// <summary>Counts a call of <paramref name="type"/>.<paramref name="method"/> (<c>Create</c> for creations).</summary>
    public void Called(string type, string method, string result) =>
        _calls.Add(1, new("type", type), new("method", method), new("result", result));
}
