using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Hub.Backplane;

/// <summary>Carries pushes to the hub instances that hold their recipients.</summary>
internal interface IPushBackplane
{
    /// <summary>
    /// Queues the message for the recipients on other instances, grouped by instance ID. Returns without waiting
    /// for Redis; recipients on instances that are gone are dropped and counted.
    /// </summary>
    /// <exception cref="SignalRChat.Objects.Runtime.PushBackpressureException">An instance's outbox is full; the other instances were served.</exception>
    void Send(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message);
}
