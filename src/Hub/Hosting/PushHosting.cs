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

        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            // The prefix lives on the connection, so it covers SignalR's channels as well as ours.
            var options = RedisConfiguration(redis);
            options.ChannelPrefix = RedisChannel.Literal($"{sp.GetRequiredService<IOptions<PushOptions>>().Value.ChannelPrefix}:");
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<RedisInstanceDirectory>();
        services.AddSingleton<IClientDirectory>(sp => sp.GetRequiredService<RedisInstanceDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisInstanceDirectory>());
        services.AddSingleton<RedisPushBackplane>();
        services.AddSingleton<IPushBackplane>(sp => sp.GetRequiredService<RedisPushBackplane>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisPushBackplane>());
        // SignalR's manager shares our connection (and so its channel prefix) rather than opening its own.
        services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer>((options, connection) =>
            options.ConnectionFactory = _ => Task.FromResult(connection));
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
