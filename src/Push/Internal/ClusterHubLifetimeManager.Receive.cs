using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

internal sealed partial class ClusterHubLifetimeManager<THub>
{
    /// <summary>What another instance sent this hub: resolved against this instance's connections, or a request or reply.</summary>
    private async ValueTask ReceiveAsync(BackplaneItem item)
    {
        switch (item.Kind)
        {
            case ItemKind.Clients:
                await _writer.WriteAsync(OwnClients(item.Names), new SerializedHubMessage(item.Messages));
                break;
            case ItemKind.Connections:
                await _writer.WriteAsync(_connections.Connections(item.Names), new SerializedHubMessage(item.Messages));
                break;
            case ItemKind.All:
                await _writer.WriteAsync(_connections.All(item.Excluded), new SerializedHubMessage(item.Messages));
                break;
            case ItemKind.Groups:
                await _writer.WriteAsync(_connections.Groups(item.Names, item.Excluded), new SerializedHubMessage(item.Messages));
                break;
            case ItemKind.Users:
                await _writer.WriteAsync(_connections.Users(item.Names), new SerializedHubMessage(item.Messages));
                break;
            case ItemKind.Invoke:
                OnInvoke(item);
                break;
            case ItemKind.Completion:
                OnCompletion(item);
                break;
            case ItemKind.AddToGroup or ItemKind.RemoveFromGroup:
                OnGroupChange(item);
                break;
            case ItemKind.Done:
                _replies.OnDone(item.Id);
                break;
            case ItemKind.NotFound:
                _replies.OnNotFound(item.Id);
                break;
        }
    }

    /// <summary>This instance's connections among client IDs; the decoder already skipped other instances' IDs on the shared channel.</summary>
    private List<LocalConnection> OwnClients(IReadOnlyList<string> clientIds)
    {
        var mine = new List<LocalConnection>(clientIds.Count);
        var gone = 0;
        foreach (var id in clientIds)
        {
            if (ClientId.TryParse(id, out var clientId) && clientId.InstanceId == _instanceId)
            {
                if (_connections.Find(clientId.ConnectionId) is { } connection)
                {
                    mine.Add(connection);
                }
                else
                {
                    gone++;
                }
            }
        }
        if (gone > 0)
        {
            _metrics.OnClientGone(gone);
        }
        return mine;
    }
}
