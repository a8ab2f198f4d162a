using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Objects.Presence;
using SignalRChat.Push;
using SignalRChat.Push.Internal;
using StackExchange.Redis;

namespace SignalRChat.Hub.Presence;

/// <summary>
/// Tells each user's <c>Player-{user}</c> when their connections on this instance open and close, and that they are
/// active (at most once a second per connection). Keeps in Redis the set of users connected here, so that when this
/// instance is gone (crashed) a surviving instance tells their players, which then go offline for their followers.
/// </summary>
internal sealed class PresenceReporter(IGrainFactory grains, BackplaneHost backplane, ClusterInstances instances,
    IOptions<ClusterOptions> cluster, ILogger<PresenceReporter> logger) : BackgroundService
{
    private static readonly TimeSpan ActivityInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, int> _localConnections = new(StringComparer.Ordinal);
    private readonly Channel<string> _goneInstances = Channel.CreateUnbounded<string>();

    /// <summary>A connection of <paramref name="user"/> opened here. Failures are logged: the connection works without presence.</summary>
    public async Task ConnectedAsync(string user, string clientId)
    {
        lock (_localConnections)
        {
            var count = _localConnections.GetValueOrDefault(user) + 1;
            _localConnections[user] = count;
            if (count == 1 && backplane.UsesRedis)
            {
                // Issued under the lock, so adds and removes of one user reach Redis in order.
                backplane.Redis.GetDatabase().SetAdd(LocalUsersKey(instances.LocalInstanceId), user, CommandFlags.FireAndForget);
            }
        }
        try
        {
            await PlayerOf(user).ConnectionOpened(clientId).WaitAsync(NoticeTimeout);
        }
        catch (Exception e)
        {
            PresenceLog.NoticeFailed(logger, e, user, clientId);
        }
    }

    /// <summary>A connection of <paramref name="user"/> closed here.</summary>
    public async Task DisconnectedAsync(string user, string clientId)
    {
        try
        {
            await PlayerOf(user).ConnectionClosed(clientId).WaitAsync(NoticeTimeout);
        }
        catch (Exception e)
        {
            PresenceLog.NoticeFailed(logger, e, user, clientId);
        }
        lock (_localConnections)
        {
            var count = _localConnections.GetValueOrDefault(user) - 1;
            if (count > 0)
            {
                _localConnections[user] = count;
                return;
            }
            _localConnections.Remove(user);
            if (backplane.UsesRedis)
            {
                backplane.Redis.GetDatabase().SetRemove(LocalUsersKey(instances.LocalInstanceId), user, CommandFlags.FireAndForget);
            }
        }
    }

    /// <summary>The user called <paramref name="objectId"/>: reports activity, at most once per <see cref="ActivityInterval"/> per connection.</summary>
    public void Active(string user, string objectId, ActivityClock clock)
    {
        var now = Environment.TickCount64;
        if (now - clock.LastReport < ActivityInterval.TotalMilliseconds || objectId == Player.IdOf(user).ToString())
        {
            // The player records calls to itself.
            return;
        }
        clock.LastReport = now;
        try
        {
            PlayerOf(user).Active().Ignore();
        }
        catch (Exception e)
        {
            PresenceLog.NoticeFailed(logger, e, user, "activity");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!backplane.UsesRedis)
        {
            return;
        }
        instances.InstanceGone += id => _goneInstances.Writer.TryWrite(id);
        // Users recorded under this ID by an earlier run (a fixed Cluster:InstanceId): those connections are gone.
        await SweepAsync(instances.LocalInstanceId, stoppingToken);
        try
        {
            await foreach (var instanceId in _goneInstances.Reader.ReadAllAsync(stoppingToken))
            {
                await SweepAsync(instanceId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Tells the players of the users a gone instance held. Survivors pop users from the set, so each is told once.</summary>
    private async Task SweepAsync(string instanceId, CancellationToken stoppingToken)
    {
        var key = LocalUsersKey(instanceId);
        var told = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var users = await backplane.Redis.GetDatabase().SetPopAsync(key, 200);
                if (users.Length == 0)
                {
                    break;
                }
                await Task.WhenAll(users.Select(user => TellGoneAsync((string)user!, instanceId)));
                told += users.Length;
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            PresenceLog.SweepFailed(logger, e, instanceId);
        }
        if (told > 0)
        {
            PresenceLog.Swept(logger, instanceId, told);
        }
    }

    private async Task TellGoneAsync(string user, string instanceId)
    {
        try
        {
            await PlayerOf(user).InstanceGone(instanceId).WaitAsync(NoticeTimeout);
        }
        catch (Exception e)
        {
            PresenceLog.NoticeFailed(logger, e, user, instanceId);
        }
    }

    private RedisKey LocalUsersKey(string instanceId) => $"{cluster.Value.ClusterId}:presence:{instanceId}";

    private IPlayerGrain PlayerOf(string user) => grains.GetGrain<IPlayerGrain>(Player.IdOf(user).ToGrainId());
}

/// <summary>When a connection last reported activity (Environment.TickCount64).</summary>
internal sealed class ActivityClock
{
    public long LastReport { get; set; } = long.MinValue / 2;
}
