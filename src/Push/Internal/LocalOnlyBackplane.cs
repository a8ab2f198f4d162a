using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>An instance without Redis: there are no other instances, so sends to them are dropped and counted.</summary>
internal sealed class LocalOnlyBackplane(IHubProtocolResolver protocols, PushMetrics metrics, ILogger logger) : IHubBackplane
{
    public Task StartAsync() => Task.CompletedTask;

    public void SendToClients(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message)
    {
        var recipients = recipientsByInstance.Values.Sum(list => list.Count);
        PushLog.NoBackplane(logger, recipients);
        metrics.OnInstanceGone(recipients);
    }

    public void Broadcast(BackplaneItem item)
    {
    }

    public Task<long> PublishAsync(string? instanceId, BackplaneItem item) => Task.FromResult(0L);

    public IReadOnlyList<SerializedMessage> Serialize(SerializedHubMessage message) =>
        [.. protocols.AllProtocols.Select(p => new SerializedMessage(p.Name, message.GetSerializedMessage(p)))];
}
