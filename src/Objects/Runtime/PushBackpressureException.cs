namespace SignalRChat.Objects.Runtime;

/// <summary>
/// A push was refused because the outgoing buffer towards one or more hub instances is full: the backplane is not
/// keeping up. Recipients on other instances were still served. Retry later, or let clients catch up by polling.
/// </summary>
public sealed class PushBackpressureException(IReadOnlyList<string> instanceIds, int capacity)
    : Exception($"Push refused for instance(s) {string.Join(", ", instanceIds)}: the outgoing buffer of {capacity} messages is full.")
{
    /// <summary>The instances whose buffer was full.</summary>
    public IReadOnlyList<string> InstanceIds { get; } = instanceIds;
}
