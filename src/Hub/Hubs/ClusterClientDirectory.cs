using SignalRChat.Objects.Runtime;
using SignalRChat.Push;

namespace SignalRChat.Hub.Hubs;

/// <summary>Tells objects which clients may still be connected, from the backplane's instance directory.</summary>
internal sealed class ClusterClientDirectory(ClusterInstances instances) : IClientDirectory
{
    public bool MayBeConnected(string clientId) => instances.MayBeConnected(clientId);
}
