using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>An instance without Redis: there are no other instances, so sends to them are dropped and counted.</summary>
internal sealed class LocalOnlyBackplane(PushMetrics metrics, ILogger logger) : IHubBackplane
{
    public Task StartAsync() => Task.CompletedTask;

    public void SendToClients(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message, PushPriority priority, string? replacementKey)
    {
        var recipients = recipientsByInstance.Values.Sum(list => list.Count);
        PushLog.NoBackplane(logger, recipients);
        metrics.OnInstanceGone(recipients);
    }

    public void Broadcast(BackplaneItem item)
    {
    }

    public Task<long> PublishAsync(string? instanceId, BackplaneItem item) => Task.FromResult(0L);

    /// <summary>Nothing: what would be serialized for other instances goes nowhere.</summary>
    public IReadOnlyList<SerializedMessage> Serialize(SerializedHubMessage message) => [];
}
