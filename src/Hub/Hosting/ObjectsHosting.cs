using System.Net;
using Orleans.Configuration;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Hosting;

/// <summary>Hosts the objects: an Orleans silo in this process, or a client of silos elsewhere.</summary>
internal static class ObjectsHosting
{
    public static void AddObjects(this WebApplicationBuilder builder, ClusterOptions cluster)
    {
        builder.Services.AddSingleton(ObjectCatalog.Default);
        builder.Services.AddSingleton<ObjectClient>();
        if (cluster.HostsObjects)
        {
            builder.UseOrleans(silo => ConfigureSilo(silo, cluster));
        }
        else
        {
            builder.UseOrleansClient(client => client
                .UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(cluster.Redis!))
                .Configure<Orleans.Configuration.ClusterOptions>(options => options.ClusterId = options.ServiceId = cluster.ClusterId));
        }
    }

    /// <summary>Orleans' Redis settings: reconnect in the background rather than fail when Redis is briefly away.</summary>
    private static StackExchange.Redis.ConfigurationOptions RedisConfiguration(string connectionString)
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    private static void ConfigureSilo(ISiloBuilder silo, ClusterOptions cluster)
    {
        if (cluster.Redis is null)
        {
            // Embedded mode: one process, nothing else to install.
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ClusterId, clusterId: cluster.ClusterId)
                .AddMemoryGrainStorage(ObjectStorage.Name);
            return;
        }
        silo.UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(cluster.Redis))
            .AddRedisGrainStorage(ObjectStorage.Name, options => options.ConfigurationOptions = RedisConfiguration(cluster.Redis))
            .Configure<Orleans.Configuration.ClusterOptions>(options => options.ClusterId = options.ServiceId = cluster.ClusterId)
            .ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort);
    }
}
