using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Hub.Logging;
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
    IOptions<ClusterOptions> cluster, LogThrottles throttles, ILogger<PresenceReporter> logger) : BackgroundService
{
    private static readonly TimeSpan ActivityInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private const int Attempts = 6;

    private readonly Dictionary<string, int> _localConnections = new(StringComparer.Ordinal);
    private readonly Channel<string> _goneInstances = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Users with at least one connection here.</summary>
    public int LocalUsers
    {
        get
        {
            lock (_localConnections)
            {
                return _localConnections.Count;
            }
        }
    }

    /// <summary>
    /// A connection of <paramref name="user"/> opened here. Returns false when the user's player refused it (the
    /// user's connection quota), after calling <paramref name="refuse"/> with the reason. A notice that fails is logged
    /// and retried a few times in the background while the connection stays open (a lost one would keep the user
    /// offline), without holding up the connection, which works meanwhile.
    /// </summary>
    /// <param name="user">The user name.</param>
    /// <param name="clientId">The connection's client ID.</param>
    /// <param name="refuse">Closes the connection with the player's reason, now or on a retry.</param>
    /// <param name="closed">Cancelled when the connection closes: the retries stop.</param>
    public async Task<bool> ConnectedAsync(string user, string clientId, Action<string> refuse, CancellationToken closed)
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
        var (told, refusal) = await TellOpenedAsync(user, clientId);
        if (refusal is not null)
        {
            refuse(refusal);
            return false;
        }
        if (!told)
        {
            _ = RetryOpenedAsync(user, clientId, refuse, closed);
        }
        return true;
    }

    private async Task RetryOpenedAsync(string user, string clientId, Action<string> refuse, CancellationToken closed)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(closed, _stopping.Token);
        await RetryAsync(async () =>
        {
            var (told, refusal) = await TellOpenedAsync(user, clientId);
            if (refusal is not null)
            {
                // Over the user's quota after all (other connections opened meanwhile).
                refuse(refusal);
            }
            return told;
        }, either.Token);
    }

    private async Task<(bool Told, string? Refusal)> TellOpenedAsync(string user, string clientId)
    {
        try
        {
            return (true, await PlayerOf(user).ConnectionOpened(clientId).WaitAsync(NoticeTimeout));
        }
        catch (Exception e)
        {
            LogNoticeFailed(e, user, clientId);
            return (false, null);
        }
    }

    /// <summary>
    /// A connection of <paramref name="user"/> closed here. A notice that fails is retried a few times in the
    /// background (a lost one would keep the user online), without holding up the disconnect.
    /// </summary>
    public async Task DisconnectedAsync(string user, string clientId)
    {
        if (!await TellClosedAsync(user, clientId))
        {
            _ = RetryAsync(() => TellClosedAsync(user, clientId), _stopping.Token);
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

    /// <summary>Tells again, up to <see cref="Attempts"/> in all, <see cref="RetryDelay"/> apart, until told or cancelled
    /// (the connection closed, or the instance is stopping: then a survivor sweeps its users).</summary>
    private static async Task RetryAsync(Func<Task<bool>> tell, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 2; attempt <= Attempts; attempt++)
            {
                await Task.Delay(RetryDelay, cancellationToken);
                if (await tell())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> TellClosedAsync(string user, string clientId)
    {
        try
        {
            await PlayerOf(user).ConnectionClosed(clientId).WaitAsync(NoticeTimeout);
            return true;
        }
        catch (Exception e)
        {
            LogNoticeFailed(e, user, clientId);
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
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
            LogNoticeFailed(e, user, "activity");
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (backplane.UsesRedis)
        {
            // Users recorded under this ID by an earlier run (a fixed Cluster:InstanceId): those connections are gone.
            // Before the server takes connections, so no new one is swept with them.
            await SweepAsync(instances.LocalInstanceId, cancellationToken);
            instances.InstanceGone += id => _goneInstances.Writer.TryWrite(id);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!backplane.UsesRedis)
        {
            return;
        }
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

    /// <summary>
    /// Tells the players of the users a gone instance held. Survivors pop users from the set, so each is told once;
    /// a user whose player could not be told (its silo may be the one that died, not yet declared dead) goes back into
    /// the set and is tried again a few times.
    /// </summary>
    private async Task SweepAsync(string instanceId, CancellationToken stoppingToken)
    {
        var key = LocalUsersKey(instanceId);
        var told = 0;
        try
        {
            for (var attempt = 1; attempt <= Attempts && !stoppingToken.IsCancellationRequested; attempt++)
            {
                List<RedisValue> failed = [];
                RedisValue[] users;
                while ((users = await backplane.Redis.GetDatabase().SetPopAsync(key, 200)).Length > 0)
                {
                    var results = await Task.WhenAll(users.Select(user => TellGoneAsync((string)user!, instanceId)));
                    failed.AddRange(users.Where((_, i) => !results[i]));
                    told += results.Count(ok => ok);
                }
                if (failed.Count == 0)
                {
                    break;
                }
                await backplane.Redis.GetDatabase().SetAddAsync(key, [.. failed]);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            PresenceLog.SweepFailed(logger, e, instanceId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        if (told > 0)
        {
            PresenceLog.Swept(logger, instanceId, told);
        }
    }

    private async Task<bool> TellGoneAsync(string user, string instanceId)
    {
        try
        {
            await PlayerOf(user).InstanceGone(instanceId).WaitAsync(NoticeTimeout);
            return true;
        }
        catch (Exception e)
        {
            LogNoticeFailed(e, user, instanceId);
            return false;
        }
    }

    /// <summary>Throttled, without a stack trace: a mass disconnect under load fails many notices at once.</summary>
    private void LogNoticeFailed(Exception e, string user, string subject)
    {
        if (throttles.Allow(nameof(PresenceLog.NoticeFailed), out var suppressed))
        {
            PresenceLog.NoticeFailed(logger, user, subject, $"{e.GetType().Name}: {e.Message}", suppressed);
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
