namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// Where a lifetime manager scenario runs: clients connect to <see cref="Holder"/>, and the operation under test is
/// called on <see cref="Sender"/>. The same scenarios run alone without Redis, on one instance with Redis, and across
/// two instances.
/// </summary>
public abstract class BackplanePair : IAsyncLifetime
{
    public RedisServer? Redis { get; private set; }

    public BackplaneServer Sender { get; private set; } = null!;

    public BackplaneServer Holder { get; private set; } = null!;

    /// <summary>Whether the holder is another instance than the sender.</summary>
    public bool AcrossInstances => !ReferenceEquals(Sender, Holder);

    protected abstract bool UsesRedis { get; }

    protected abstract bool TwoInstances { get; }

    public async Task InitializeAsync()
    {
        Redis = UsesRedis ? await RedisServer.StartAsync() : null;
        Sender = await BackplaneServer.StartAsync(Redis?.ConnectionString);
        Holder = TwoInstances ? await BackplaneServer.StartAsync(Redis!.ConnectionString) : Sender;
    }

    /// <summary>Stops what was started, also when starting failed halfway.</summary>
    public async Task DisposeAsync()
    {
        if (Holder is not null && AcrossInstances)
        {
            await Holder.DisposeAsync();
        }
        if (Sender is not null)
        {
            await Sender.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}

/// <summary>One instance without Redis.</summary>
public sealed class EmbeddedPair : BackplanePair
{
    protected override bool UsesRedis => false;

    protected override bool TwoInstances => false;
}

/// <summary>One instance on Redis.</summary>
public sealed class RedisPair : BackplanePair
{
    protected override bool UsesRedis => true;

    protected override bool TwoInstances => false;
}

/// <summary>Two instances on Redis: clients on one, operations called on the other.</summary>
public sealed class TwoInstancePair : BackplanePair
{
    protected override bool UsesRedis => true;

    protected override bool TwoInstances => true;
}
