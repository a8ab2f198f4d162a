using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push;

/// <summary>What a hub learns about its connections from the cluster backplane.</summary>
public static class ClusterHubContextExtensions
{
    internal const string ClientIdItem = "SignalRChat.Push.ClientId";

    /// <summary>
    /// The connection's client ID, <c>{instanceId}/{connectionId}</c>: hand it to server code (objects, services on
    /// other instances), which can then send to this connection from anywhere in the cluster with
    /// <c>Clients.Client(clientId)</c> or <c>Clients.Clients(clientIds)</c>, at the cost of one backplane message per
    /// instance holding recipients.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hub's lifetime manager is not the cluster backplane's.</exception>
    public static string GetClientId(this HubCallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ClientIdItem, out var id) && id is string clientId
            ? clientId
            : throw new InvalidOperationException("This connection has no client ID: register the backplane with AddSignalR().AddClusterBackplane(...).");
    }
}
