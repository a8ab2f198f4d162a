using Microsoft.AspNetCore.SignalR;
using SignalRChat.Push.Internal;

namespace SignalRChat.Push;

/// <summary>This process's place in the cluster: its instance ID, which instances are gone, and the draining of its own
/// connections when it stops.</summary>
public sealed class ClusterInstances
{
    private static readonly TimeSpan DrainCheckInterval = TimeSpan.FromMilliseconds(50);
    private readonly InstanceDirectory _directory;
    private readonly BackplaneHost _host;

    internal ClusterInstances(InstanceIdentity identity, InstanceDirectory directory, BackplaneHost host)
    {
        LocalInstanceId = identity.Id;
        _directory = directory;
        _host = host;
    }

    /// <summary>How many connections this instance holds, over all hubs.</summary>
    public int LocalConnections => _host.ConnectionCount;

    /// <summary>
    /// Asks every connection of this instance, of every hub, to close with a close message that lets its client
    /// reconnect (SignalR's <c>allowReconnect</c>), an even share at a time over <paramref name="spread"/>, so the
    /// instances its clients move to are not stampeded; then waits until they are closed, their disconnects handled, or
    /// <paramref name="timeout"/> more passes. For a stopping instance: its clients move to other instances instead of
    /// finding their connections cut. Refusing new connections meanwhile is the caller's part.
    /// </summary>
    /// <returns>How many connections were still open when it returned.</returns>
    public async Task<int> DrainAsync(TimeSpan spread, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var total = _host.ConnectionCount;
        var asked = 0;
        var started = Environment.TickCount64;
        var deadline = spread + timeout;
        for (var elapsed = TimeSpan.Zero; _host.ConnectionCount > 0 && elapsed < deadline; elapsed = TimeSpan.FromMilliseconds(Environment.TickCount64 - started))
        {
            var due = elapsed >= spread ? int.MaxValue : (int)Math.Ceiling(total * (elapsed / spread));
            if (due > asked)
            {
                asked += _host.RequestClose(due - asked);
            }
            await Task.Delay(DrainCheckInterval, cancellationToken).ConfigureAwait(false);
        }
        return _host.ConnectionCount;
    }

    /// <summary>
    /// Closes this instance's connections, of every hub, that <paramref name="match"/> picks: each gets a close message
    /// with <paramref name="reason"/> that tells its client not to reconnect (SignalR's <c>CloseMessage</c> with
    /// <c>allowReconnect: false</c>; the official clients report it as the error of the close), and is then aborted.
    /// For refusals and revocations; <see cref="DrainAsync"/> moves clients elsewhere instead.
    /// </summary>
    /// <returns>How many connections were closed.</returns>
    public int CloseLocalConnections(Func<HubConnectionContext, bool> match, string reason)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return _host.Close(match, reason);
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
