using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignalRChat.Push.Internal;

namespace SignalRChat.Push;

/// <summary>Registers the cluster backplane.</summary>
public static class ClusterBackplaneExtensions
{
    /// <summary>Uses the cluster backplane over the Redis at <paramref name="redisConfiguration"/> for every hub.</summary>
    public static ISignalRServerBuilder AddClusterBackplane(this ISignalRServerBuilder builder, string redisConfiguration)
    {
        ArgumentException.ThrowIfNullOrEmpty(redisConfiguration);
        return builder.AddClusterBackplane(options => options.Configuration = redisConfiguration);
    }

    /// <summary>
    /// Uses the cluster backplane for every hub of the process, in place of SignalR's default (or Redis) lifetime
    /// manager: sends to all, groups, users, connections and client results reach connections on every instance,
    /// connections cost no Redis command or subscription, and each hub uses two channels per instance. Options are
    /// validated at start.
    /// </summary>
    public static ISignalRServerBuilder AddClusterBackplane(this ISignalRServerBuilder builder, Action<ClusterBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<ClusterBackplaneOptions>().Configure(configure).ValidateOnStart();
        if (!services.Any(service => service.ServiceType == typeof(BackplaneHost)))
        {
            services.AddSingleton<IValidateOptions<ClusterBackplaneOptions>, ClusterBackplaneOptionsValidator>();
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<ClusterBackplaneOptions>>().Value.InstanceId is { Length: > 0 } id
                ? new InstanceIdentity(id)
                : InstanceIdentity.Generate());
            services.TryAddSingleton<PushMetrics>();
            // Started in this order, stopped in reverse: the connection first, then the heartbeats.
            services.AddSingleton<BackplaneHost>();
            services.AddHostedService(sp => sp.GetRequiredService<BackplaneHost>());
            services.AddSingleton<InstanceDirectory>();
            services.AddHostedService(sp => sp.GetRequiredService<InstanceDirectory>());
            services.AddSingleton(sp => new ClusterInstances(sp.GetRequiredService<InstanceIdentity>(), sp.GetRequiredService<InstanceDirectory>(),
                sp.GetRequiredService<BackplaneHost>()));
        }
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ClusterHubLifetimeManager<>));
        return builder;
    }
}
