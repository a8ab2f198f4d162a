namespace SignalRChat.Tests.Infrastructure;

/// <summary>A real Redis and three hub instances that know each other's loads, for the load balancing and cluster view tests.</summary>
public sealed class ThreeInstances : IAsyncDisposable
{
    private ThreeInstances(RedisServer redis, HubInstance[] instances) => (Redis, Instances) = (redis, instances);

    public RedisServer Redis { get; }

    public HubInstance[] Instances { get; }

    public HubInstance A => Instances[0];

    public static async Task<ThreeInstances> StartAsync(params string[] settings)
    {
        var redis = await RedisServer.StartAsync();
        var starts = Enumerable.Range(0, 3).Select(_ => HubInstance.StartAsync(redis.ConnectionString, settings)).ToArray();
        try
        {
            var cluster = new ThreeInstances(redis, await Task.WhenAll(starts));
            await Eventually.TrueAsync(() => cluster.Instances.All(i => i.LiveLoads is { Count: 3 } loads && loads.All(l => l.Url is not null)),
                "every instance sees the three instances' loads and URLs", TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }
            await redis.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }
        await Redis.DisposeAsync();
    }
}
