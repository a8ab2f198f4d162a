using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Backplane;
using SignalRChat.Hub.Hubs;
using SignalRChat.Hub.Instances;
using SignalRChat.Hub.Push;
using SignalRChat.Objects.Runtime;
using StackExchange.Redis;

namespace SignalRChat.Hub.Hosting;

/// <summary>Registers the push path: our lifetime manager over SignalR's own, and the backplane.</summary>
internal static class PushHosting
{
    /// <summary>
    /// Replaces the hub's lifetime manager with <see cref="ClusterHubLifetimeManager{THub}"/>: over SignalR's Redis
    /// manager and our Redis push backplane when <paramref name="redis"/> is set, over the in-memory manager otherwise.
    /// </summary>
    public static ISignalRServerBuilder AddClusterPush(this ISignalRServerBuilder builder, IConfiguration configuration, string? redis)
    {
        var services = builder.Services;
        services.AddOptions<PushOptions>().Bind(configuration.GetSection(PushOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PushOptions>, PushOptionsValidator>();
        services.AddSingleton<PushMetrics>();
        services.AddSingleton<LocalConnections>();
        services.AddSingleton<IClientPush, HubClientPush>();

        if (redis is null)
        {
            services.AddSingleton<IClientDirectory, EmbeddedClientDirectory>();
            services.AddSingleton<IPushBackplane, NoPushBackplane>();
            services.AddSingleton<HubLifetimeManager<ObjectHub>>(sp => Create(sp, new DefaultHubLifetimeManager<ObjectHub>(
                sp.GetRequiredService<ILogger<DefaultHubLifetimeManager<ObjectHub>>>())));
            return builder;
        }

        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConfiguration(redis)));
        services.AddSingleton<RedisInstanceDirectory>();
        services.AddSingleton<IClientDirectory>(sp => sp.GetRequiredService<RedisInstanceDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisInstanceDirectory>());
        services.AddSingleton<RedisPushBackplane>();
        services.AddSingleton<IPushBackplane>(sp => sp.GetRequiredService<RedisPushBackplane>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisPushBackplane>());
        services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer, IOptions<PushOptions>>((options, connection, push) =>
        {
            // SignalR's manager shares our connection, so its messages and ours keep one order on the wire.
            options.ConnectionFactory = _ => Task.FromResult(connection);
            options.Configuration.ChannelPrefix = RedisChannel.Literal(push.Value.ChannelPrefix);
        });
        services.AddSingleton<HubLifetimeManager<ObjectHub>>(sp => Create(sp, new RedisHubLifetimeManager<ObjectHub>(
            sp.GetRequiredService<ILogger<RedisHubLifetimeManager<ObjectHub>>>(),
            sp.GetRequiredService<IOptions<RedisOptions>>(),
            sp.GetRequiredService<IHubProtocolResolver>(),
            sp.GetRequiredService<IOptions<HubOptions>>(),
            sp.GetRequiredService<IOptions<HubOptions<ObjectHub>>>())));
        return builder;
    }

    /// <summary>The Redis client settings: reconnect in the background rather than fail when Redis is briefly away.</summary>
    public static ConfigurationOptions RedisConfiguration(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    private static ClusterHubLifetimeManager<ObjectHub> Create(IServiceProvider services, HubLifetimeManager<ObjectHub> inner) =>
        new(inner, services.GetRequiredService<LocalConnections>(), services.GetRequiredService<IPushBackplane>(),
            services.GetRequiredService<InstanceIdentity>(), services.GetRequiredService<IOptions<PushOptions>>());
}
