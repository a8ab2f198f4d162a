using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Which hub instances are gone. Every instance records a heartbeat in a Redis sorted set (score: expiry time), and
/// reads the expired entries every third of <see cref="ClusterBackplaneOptions.InstanceTtl"/>. Times come from the
/// Redis server's clock, so machines' clocks need not agree. An instance never seen is not gone: a new instance's
/// clients must not be forgotten before its first heartbeat is read.
/// Two safeguards for instances that are alive but were silent (paused, or cut off from Redis): an instance that could
/// not record a heartbeat for a whole TTL closes its connections when it recovers, since others may have forgotten
/// those clients (they reconnect and join again); and a reader trusts expiries only after a TTL of uninterrupted
/// contact with Redis, so after a Redis outage every live instance has beaten again before anyone is judged gone.
/// Without Redis there are no other instances and nothing is ever gone.
/// </summary>
internal sealed class InstanceDirectory(BackplaneHost host, InstanceIdentity instance, IOptions<ClusterBackplaneOptions> options,
    ILogger<InstanceDirectory> logger) : BackgroundService
{
    /// <summary>How long a gone instance is remembered, so objects idle that long still forget its clients.</summary>
    private static readonly TimeSpan Memory = TimeSpan.FromDays(7);

    private const string NowMs = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";
    private static readonly LuaScript Heartbeat = LuaScript.Prepare(NowMs +
        "redis.call('ZADD', @key, now + tonumber(@ttl), @id) redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - tonumber(@memory)) return 1");
    private static readonly LuaScript Expired = LuaScript.Prepare(NowMs + "return redis.call('ZRANGEBYSCORE', @key, '-inf', '(' .. now)");

    private readonly RedisKey _key = $"{options.Value.ChannelPrefix}:instances";
    private readonly TimeSpan _ttl = options.Value.InstanceTtl;
    private volatile HashSet<string> _gone = [];
    private bool _loaded;
    private long? _lastBeat;      // Environment.TickCount64 of the last recorded heartbeat
    private long? _contactSince;  // Environment.TickCount64 since when every refresh succeeded

    /// <summary>Whether the instance stopped or its heartbeat expired.</summary>
    public bool IsGone(string instanceId) => _gone.Contains(instanceId);

    /// <summary>Raised on the refresh loop once per instance this process learns is gone (at the first read, for every
    /// instance gone within the memory window). Handlers must return quickly and not throw.</summary>
    public event Action<string>? Gone;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!host.UsesRedis)
        {
            return;
        }
        using var timer = new PeriodicTimer(_ttl / 3);
        try
        {
            do
            {
                await RefreshAsync();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync()
    {
        var now = Environment.TickCount64;
        try
        {
            await BeatAsync(_ttl);
            if (_lastBeat is { } last && now - last > (long)_ttl.TotalMilliseconds)
            {
                InstancesLog.WasSilent(logger, TimeSpan.FromMilliseconds(now - last), host.AbortAll());
            }
            _lastBeat = now;
            _contactSince ??= now;
            if (now - _contactSince < (long)_ttl.TotalMilliseconds)
            {
                return;
            }
            var gone = ((RedisResult[])(await host.Redis.GetDatabase().ScriptEvaluateAsync(Expired, new { key = _key }))!)
                .Select(r => (string)r!).ToHashSet(StringComparer.Ordinal);
            var newlyGone = gone.Except(_gone).ToList();
            foreach (var id in _loaded ? newlyGone : [])
            {
                InstancesLog.InstanceGone(logger, id);
            }
            _gone = gone;
            _loaded = true;
            foreach (var id in newlyGone)
            {
                Gone?.Invoke(id);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _contactSince = null;
            InstancesLog.RefreshFailed(logger, e);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (host.UsesRedis && host.Redis.IsConnected)
        {
            // Gone from now on: objects forget whatever clients this instance could not say goodbye for.
            await BeatAsync(TimeSpan.FromMilliseconds(-1)).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private Task BeatAsync(TimeSpan ttl) => host.Redis.GetDatabase().ScriptEvaluateAsync(Heartbeat,
        new { key = _key, id = instance.Id, ttl = (long)ttl.TotalMilliseconds, memory = (long)Memory.TotalMilliseconds });
}
