using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Push;

namespace SignalRChat.Hub.Backplane;

/// <summary>The embedded single-instance mode: there are no other instances, so pushes to them are dropped and counted.</summary>
internal sealed class NoPushBackplane(PushMetrics metrics, ILogger<NoPushBackplane> logger) : IPushBackplane
{
    public void Send(IReadOnlyDictionary<string, List<string>> recipientsByInstance, SerializedHubMessage message)
    {
        var recipients = recipientsByInstance.Values.Sum(list => list.Count);
        PushLog.NoBackplane(logger, recipients);
        metrics.OnInstanceGone(recipients);
    }
}
