using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

internal sealed partial class ClusterHubLifetimeManager<THub>
{
    /// <summary>
    /// What another instance sent this hub in one message: sends resolved against this instance's connections, and
    /// requests or replies. Consecutive sends to the same target (a burst to one room, or broadcasts) are joined here
    /// into one write per connection. <paramref name="sentAt"/> is when the sender began the message (Unix milliseconds).
    /// A chat send waits while the writer's chat queue is full; a system send never does (<see cref="ConnectionWriter.WriteReceivedAsync"/>).
    /// </summary>
    private async ValueTask ReceiveAsync(IReadOnlyList<BackplaneItem> items, long sentAt)
    {
        var first = 0;
        while (first < items.Count)
        {
            var item = items[first];
            var end = first + 1;
            if (!IsSend(item.Kind))
            {
                Handle(item);
                first = end;
                continue;
            }
            while (end < items.Count && SameTarget(item, items[end]))
            {
                end++;
            }
            var recipients = Resolve(item);
            var message = end - first == 1
                ? new SerializedHubMessage(item.Messages)
                : PushRuns.Join([.. items.Skip(first).Take(end - first).Select(i => new SerializedHubMessage(i.Messages))], recipients);
            await _writer.WriteReceivedAsync(recipients, message, end - first, sentAt, Served(item.Priority), _priorities ? item.ReplacementKey : null);
            first = end;
        }
    }

    private static bool IsSend(ItemKind kind) => kind <= ItemKind.Users;

    /// <summary>Whether two sends can be written as one: same recipients, same class and nothing to replace.</summary>
    private static bool SameTarget(BackplaneItem a, BackplaneItem b) =>
        a.Priority == b.Priority && a.ReplacementKey is null && b.ReplacementKey is null && a.SameRecipients(b);

    /// <summary>This instance's connections a send names.</summary>
    private List<LocalConnection> Resolve(BackplaneItem send) => send.Kind switch
    {
        ItemKind.Clients => OwnClients(send.Names),
        ItemKind.Connections => _connections.Connections(send.Names),
        ItemKind.All => _connections.All(send.Excluded),
        ItemKind.Groups => _connections.Groups(send.Names, send.Excluded),
        _ => _connections.Users(send.Names),
    };

    /// <summary>A request or reply from another instance.</summary>
    private void Handle(BackplaneItem item)
    {
        switch (item.Kind)
        {
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
