using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Hubs;
using SignalRChat.Hub.Wire;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Push;

/// <summary>The push API objects use, over the hub context: client lists go through <see cref="ClusterHubLifetimeManager{THub}"/>.</summary>
internal sealed class HubClientPush(IHubContext<ObjectHub> hub) : IClientPush
{
    public Task PushToClientAsync(string clientId, string method, object? payload, CancellationToken cancellationToken = default) =>
        PushToClientsAsync([clientId], method, payload, cancellationToken);

    public Task PushToClientsAsync(IReadOnlyList<string> clientIds, string method, object? payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        ArgumentException.ThrowIfNullOrEmpty(method);
        foreach (var id in clientIds)
        {
            if (!ClientId.TryParse(id, out _))
            {
                throw ClientId.Invalid(id);
            }
        }
        return clientIds.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Clients(clientIds).SendCoreAsync(method, [WireValue.From(payload)], cancellationToken);
    }
}
