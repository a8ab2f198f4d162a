using StackExchange.Redis;

namespace SignalRChat.Push;

/// <summary>Settings of the cluster backplane (<see cref="ClusterBackplaneExtensions.AddClusterBackplane(Microsoft.AspNetCore.SignalR.ISignalRServerBuilder, Action{ClusterBackplaneOptions})"/>).</summary>
public sealed class ClusterBackplaneOptions
{
    /// <summary>
    /// The Redis connection string (StackExchange.Redis format, for example <c>127.0.0.1:6379,password=...</c>).
    /// With neither this nor <see cref="ConnectionFactory"/>, the instance runs alone: every send reaches its own
    /// connections only (development, tests, a single server).
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Makes the Redis connection instead of <see cref="Configuration"/>; the backplane does not dispose it.</summary>
    public Func<TextWriter, Task<IConnectionMultiplexer>>? ConnectionFactory { get; set; }

    /// <summary>Prefix of every Redis channel and key, so several deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "signalrchat";

    /// <summary>
    /// This instance's ID, the first part of every client ID it hands out (<c>{instanceId}/{connectionId}</c>):
    /// 1-64 of <c>A-Za-z0-9-_.:</c>. Generated unique per process start when empty; if you set it, make it unique per
    /// process start.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>How sends to lists of client IDs cross the backplane.</summary>
    public PushStrategy Strategy { get; set; } = PushStrategy.PerInstance;

    /// <summary>
    /// Sends of one <see cref="PushPriority"/> waiting to be published towards one channel before further sends of
    /// that class are refused (backpressure; for presence, the oldest queued send is dropped instead); also the
    /// sends of one class a hub's writer queues for this instance's connections.
    /// </summary>
    public int OutboxCapacity { get; set; } = 1024;

    /// <summary>
    /// Bytes waiting to be written to one client before the next write disconnects it as too slow. A burst to a client
    /// that keeps reading stays far below; a client that stopped reading reaches it in a busy hub.
    /// </summary>
    public int SlowClientBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long writes to one client may wait without any of them completing before the next write disconnects it as
    /// stuck, however few bytes wait. A client that keeps reading, however slowly, completes writes.
    /// </summary>
    public TimeSpan SlowClientTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an instance counts as alive after its last heartbeat (recorded every third of it). Past it, sends to
    /// the instance's clients are dropped at once, and <see cref="ClusterInstances.IsGone"/> says so.
    /// </summary>
    public TimeSpan InstanceTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The client method every connection of this instance receives (with one argument, a reason) when the instance may have
    /// missed backplane messages for it: its Redis subscription was lost and is back. Clients then fetch what they may
    /// have missed, as after a reconnect. <c>Resync</c> by default; empty sends nothing.
    /// </summary>
    public string? ResyncMethod { get; set; } = "Resync";

    /// <summary>
    /// Whether queues serve sends by <see cref="PushPriority"/> (system before chat before presence, presence coalesced).
    /// Off, every send queues as chat, in the order it was made across classes too: for a hub that needs one order for
    /// everything, and to measure what the classes change.
    /// </summary>
    public bool Priorities { get; set; } = true;

    /// <summary>Whether the backplane uses Redis; otherwise this instance runs alone.</summary>
    internal bool UsesRedis => !string.IsNullOrWhiteSpace(Configuration) || ConnectionFactory is not null;
}
