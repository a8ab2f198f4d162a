using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Wire;
using SignalRChat.Objects.Runtime;
using SignalRChat.Push;
using ObjectPushPriority = SignalRChat.Objects.Runtime.PushPriority;

namespace SignalRChat.Hub.Hubs;

/// <summary>
/// The push API objects use: <c>Clients.Clients(clientIds)</c> (or users, or all) on the hub context, through the
/// cluster backplane, in the push's class (<see cref="PushPriorities"/>).
/// </summary>
internal sealed class HubClientPush(IHubContext<ObjectHub> hub) : IClientPush
{
    public Task PushToClientAsync(string clientId, string method, object? payload, ObjectPushPriority priority = ObjectPushPriority.Chat,
        string? subject = null, CancellationToken cancellationToken = default) =>
        PushToClientsAsync([clientId], method, payload, priority, subject, cancellationToken);

    public async Task PushToClientsAsync(IReadOnlyList<string> clientIds, string method, object? payload, ObjectPushPriority priority = ObjectPushPriority.Chat,
        string? subject = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        ArgumentException.ThrowIfNullOrEmpty(method);
        foreach (var id in clientIds)
        {
            // Plain connection IDs are SignalR's, and would ask every instance: objects address clients by client ID.
            ClientId.Parse(id);
        }
        if (clientIds.Count == 0)
        {
            return;
        }
        await SendAsync(hub.Clients.Clients(clientIds), method, payload, priority, subject, cancellationToken);
    }

    public async Task PushToUsersAsync(IReadOnlyList<string> users, string method, object? payload, ObjectPushPriority priority = ObjectPushPriority.Chat,
        string? subject = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (users.Count == 0)
        {
            return;
        }
        await SendAsync(hub.Clients.Users(users), method, payload, priority, subject, cancellationToken);
    }

    public Task PushToAllAsync(string method, object? payload, ObjectPushPriority priority = ObjectPushPriority.Chat,
        string? subject = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return SendAsync(hub.Clients.All, method, payload, priority, subject, cancellationToken);
    }

    private static async Task SendAsync(IClientProxy clients, string method, object? payload, ObjectPushPriority priority, string? subject,
        CancellationToken cancellationToken)
    {
        try
        {
            // The object's classes are the backplane's, value for value.
            using (PushPriorities.Use((Push.PushPriority)priority, subject))
            {
                await clients.SendCoreAsync(method, [WireValue.From(payload)], cancellationToken);
            }
        }
        catch (OutboxFullException e)
        {
            throw new PushBackpressureException(e.Targets, e.Capacity);
        }
    }
}
