using SignalRChat.Push.Internal;

namespace SignalRChat.Push;

/// <summary>This process's place in the cluster: its instance ID, and which instances are gone.</summary>
public sealed class ClusterInstances
{
    private readonly InstanceDirectory _directory;

    internal ClusterInstances(InstanceIdentity identity, InstanceDirectory directory)
    {
        LocalInstanceId = identity.Id;
        _directory = directory;
    }

    /// <summary>This process's instance ID, the first part of the client IDs it hands out.</summary>
    public string LocalInstanceId { get; }

    /// <summary>
    /// True when the instance stopped, or sent no heartbeat for <see cref="ClusterBackplaneOptions.InstanceTtl"/>
    /// (crashed, paused or cut off): its connections are gone, and they said no goodbye if it crashed. False for live
    /// and unknown instances.
    /// </summary>
    public bool IsGone(string instanceId) => _directory.IsGone(instanceId);

    /// <summary>
    /// Raised once per instance ID when this process learns that the instance is gone; at the first read of the
    /// directory, for every instance gone within the last days. Handlers run on the directory's loop: return quickly.
    /// </summary>
    public event Action<string>? InstanceGone
    {
        add => _directory.Gone += value;
        remove => _directory.Gone -= value;
    }

    /// <summary>False when the client ID's instance is gone; true otherwise, malformed and unknown IDs included.</summary>
    public bool MayBeConnected(string clientId) => !ClientId.TryParse(clientId, out var id) || !IsGone(id.InstanceId);
}
