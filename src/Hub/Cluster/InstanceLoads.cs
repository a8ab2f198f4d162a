using System.Text.Json;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Logging;
using SignalRChat.Push;
using SignalRChat.Push.Internal;
using StackExchange.Redis;

namespace SignalRChat.Hub.Cluster;

/// <summary>
/// The load of every live hub instance. Each instance samples its own every <see cref="SampleInterval"/> and publishes
/// it next to the instance directory in Redis: the latest sample in a hash (<c>{prefix}:load</c>, one field per
/// instance) and the last <see cref="HistoryLength"/> in a list per instance (<c>{prefix}:load:{id}</c>), then reads
/// everyone's. Instances that are gone, or silent for longer than the directory's TTL, are not listed. Without Redis
/// the list holds this instance alone. Every public URL an instance ever had is kept in a set (<c>{prefix}:urls</c>), so
/// a page served by an instance that is gone may still move to another one (<see cref="ClusterOrigins"/>).
/// </summary>
internal sealed class InstanceLoads(LoadSampler sampler, BackplaneHost backplane, ClusterInstances instances,
    IOptions<ClusterBackplaneOptions> options, LogThrottles throttles, ILogger<InstanceLoads> logger) : BackgroundService
{
    /// <summary>How often an instance samples and publishes its load.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(2);

    /// <summary>Samples kept per instance: five minutes.</summary>
    public const int HistoryLength = 150;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly RedisKey _latestKey = $"{options.Value.ChannelPrefix}:load";
    private readonly RedisKey _urlsKey = $"{options.Value.ChannelPrefix}:urls";
    private readonly string _historyPrefix = $"{options.Value.ChannelPrefix}:load:";
    private readonly TimeSpan _ttl = options.Value.InstanceTtl;
    private readonly Lock _sampling = new();
    private readonly Queue<InstanceLoad> _embeddedHistory = new(); // without Redis only: with it, Redis keeps the history
    private volatile IReadOnlyList<InstanceLoad> _live = [];
    private volatile IReadOnlyList<string> _knownUrls = [];

    /// <summary>The live instances' latest loads, this one's included once it has sampled, ordered by instance ID.</summary>
    public IReadOnlyList<InstanceLoad> Live => _live;

    /// <summary>The public URLs of every instance the cluster had, gone ones included.</summary>
    public IReadOnlyList<string> KnownUrls => _knownUrls;

    /// <summary>Samples and publishes at once (a draining instance says so without waiting for the next round).</summary>
    public Task RefreshNowAsync() => RefreshAsync();

    /// <summary>The live instances with their samples of the last minutes.</summary>
    public async Task<IReadOnlyList<InstanceLoad>> WithHistoryAsync()
    {
        var live = _live;
        if (!backplane.UsesRedis)
        {
            lock (_sampling)
            {
                return [.. live.Select(load => load with { History = [.. _embeddedHistory] })];
            }
        }
        var db = backplane.Redis.GetDatabase();
        var histories = await Task.WhenAll(live.Select(load => db.ListRangeAsync(_historyPrefix + load.InstanceId, 0, HistoryLength - 1)));
        return [.. live.Select((load, i) => load with { History = [.. histories[i].Reverse().Select(Parse).OfType<InstanceLoad>()] })];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (backplane.UsesRedis && backplane.Redis.IsConnected)
        {
            await ((Task)backplane.Redis.GetDatabase().HashDeleteAsync(_latestKey, instances.LocalInstanceId))
                .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RefreshAsync()
    {
        InstanceLoad sample;
        // The drain's refresh may run beside the timer's: each sample covers the time since the one before.
        lock (_sampling)
        {
            sample = sampler.Sample();
            if (!backplane.UsesRedis)
            {
                _embeddedHistory.Enqueue(sample);
                if (_embeddedHistory.Count > HistoryLength)
                {
                    _embeddedHistory.Dequeue();
                }
                _live = [sample];
                _knownUrls = sample.Url is { } url ? [url] : [];
                return;
            }
        }
        try
        {
            _live = await PublishAndReadAsync(sample);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Every 2 s while Redis is away: once per throttle window is enough.
            if (throttles.Allow(nameof(ClusterLog.LoadRefreshFailed), out var suppressed))
            {
                ClusterLog.LoadRefreshFailed(logger, e.Message, suppressed);
            }
        }
    }

    private async Task<IReadOnlyList<InstanceLoad>> PublishAndReadAsync(InstanceLoad sample)
    {
        var db = backplane.Redis.GetDatabase();
        var json = JsonSerializer.Serialize(sample, Json);
        RedisKey history = _historyPrefix + sample.InstanceId;
        var batch = db.CreateBatch();
        var writes = Task.WhenAll(
            batch.HashSetAsync(_latestKey, sample.InstanceId, json),
            batch.ListLeftPushAsync(history, json),
            batch.ListTrimAsync(history, 0, HistoryLength - 1),
            batch.KeyExpireAsync(history, TimeSpan.FromHours(1)));
        var read = batch.HashGetAllAsync(_latestKey);
        if (sample.Url is { } url)
        {
            _ = batch.SetAddAsync(_urlsKey, url);
        }
        var urls = batch.SetMembersAsync(_urlsKey);
        batch.Execute();
        await writes;
        _knownUrls = [.. (await urls).Select(u => (string)u!)];
        var oldest = sample.At - (long)_ttl.TotalMilliseconds;
        List<InstanceLoad> live = [];
        List<RedisValue> stale = [];
        foreach (var entry in await read)
        {
            if (Parse(entry.Value) is not { } load || instances.IsGone(load.InstanceId) || load.At < oldest)
            {
                stale.Add(entry.Name);
                continue;
            }
            live.Add(load);
        }
        if (stale.Count > 0)
        {
            // The latest samples of instances gone for good would otherwise stay forever.
            _ = db.HashDeleteAsync(_latestKey, [.. stale], CommandFlags.FireAndForget);
        }
        return [.. live.OrderBy(load => load.InstanceId, StringComparer.Ordinal)];
    }

    private static InstanceLoad? Parse(RedisValue json)
    {
        try
        {
            return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<InstanceLoad>((string)json!, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
