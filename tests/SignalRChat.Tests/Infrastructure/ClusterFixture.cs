namespace SignalRChat.Tests.Infrastructure;

/// <summary>A real Redis and two hub instances (each with its Orleans silo) forming one cluster.</summary>
public class ClusterFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly string[] _settings;

    public ClusterFixture() : this([])
    {
    }

    protected ClusterFixture(params string[] settings) => _settings = settings;

    /// <summary>A started cluster of its own, for tests that change settings or restart instances.</summary>
    public static async Task<ClusterFixture> StartAsync(params string[] settings)
    {
        var cluster = new ClusterFixture(settings);
        try
        {
            await cluster.InitializeAsync();
        }
        catch
        {
            // Nothing started may outlive a failed start (a Redis process would).
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public RedisServer Redis { get; private set; } = null!;

    public HubInstance A { get; private set; } = null!;

    public HubInstance B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        A = await HubInstance.StartAsync(Redis.ConnectionString, _settings);
        B = await HubInstance.StartAsync(Redis.ConnectionString, _settings);
    }

    /// <summary>Stops both instances and starts two new ones (new instance IDs) on the same Redis.</summary>
    public async Task RestartInstancesAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        A = await HubInstance.StartAsync(Redis.ConnectionString, _settings);
        B = await HubInstance.StartAsync(Redis.ConnectionString, _settings);
    }

    /// <summary>Stops instance A, as a deploy or a crash-and-restart would; <see cref="StartAAgainAsync"/> brings it back.</summary>
    public Task StopAAsync() => A.DisposeAsync().AsTask();

    /// <summary>Starts a new instance A on the URL the old one had, so its clients reconnect to it.</summary>
    public async Task StartAAgainAsync() => A = await A.StartAgainAsync();

    /// <summary>Stops what was started, also when starting failed halfway.</summary>
    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }
        if (B is not null)
        {
            await B.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
