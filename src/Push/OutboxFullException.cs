namespace SignalRChat.Push;

/// <summary>
/// A send was refused because the outgoing buffer towards one or more hub instances is full: the backplane is not
/// keeping up (<see cref="ClusterBackplaneOptions.OutboxCapacity"/>). Recipients on other instances and on this one were
/// still served. Retry later.
/// </summary>
public sealed class OutboxFullException(IReadOnlyList<string> targets, int capacity)
    : Exception($"Send refused for {string.Join(", ", targets)}: the outgoing buffer of {capacity} messages is full.")
{
    /// <summary>The instances (or "all instances") whose outbox was full.</summary>
    public IReadOnlyList<string> Targets { get; } = targets;

    /// <summary>The outbox capacity that was reached.</summary>
    public int Capacity { get; } = capacity;
}
