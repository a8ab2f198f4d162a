using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>Carries one hub's sends and requests to the other instances, and hands it what they send.</summary>
internal interface IHubBackplane
{
    /// <summary>Ready to receive: replies to this instance's requests arrive only once this has completed.</summary>
    Task StartAsync();

    /// <summary>
    /// Queues a send for the client IDs on other instances, grouped by instance ID. Returns without waiting for Redis;
    /// recipients on instances that are gone are dropped and counted.
    /// </summary>
    /// <exception cref="OutboxFullException">An instance's outbox is full; the other instances were served.</exception>
    void SendToClients(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message, PushPriority priority, string? replacementKey);

    /// <summary>Queues an item for every other instance (all, groups, users, plain connection IDs).</summary>
    /// <exception cref="OutboxFullException">The shared outbox is full.</exception>
    void Broadcast(BackplaneItem item);

    /// <summary>Publishes a request or reply to one instance or (null) to all, behind what this instance sent there before.</summary>
    /// <returns>How many other instances heard it.</returns>
    /// <exception cref="OutboxFullException">The outbox towards the instance is full.</exception>
    Task<long> PublishAsync(string? instanceId, BackplaneItem item);

    /// <summary>The item serialized once per protocol.</summary>
    IReadOnlyList<SerializedMessage> Serialize(SerializedHubMessage message);
}
