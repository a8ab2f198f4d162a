using System.Net;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Persistence;
using Orleans.Storage;
using SignalRChat.Hub.Security;
using SignalRChat.Hub.Storage;
using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Guilds;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Notices;
using SignalRChat.Objects.Parties;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Quotas;
using SignalRChat.Objects.Runtime;
using SignalRChat.Objects.Zones;

namespace SignalRChat.Hub.Hosting;

/// <summary>Hosts the objects: an Orleans silo in this process, or a client of silos elsewhere.</summary>
internal static class ObjectsHosting
{
    public static void AddObjects(this WebApplicationBuilder builder, ClusterOptions cluster, OrleansDashboardOptions dashboard)
    {
        builder.Services.AddSingleton(ObjectCatalog.Default);
        builder.Services.AddSingleton<ObjectClient>();
        if (cluster.HostsObjects)
        {
            builder.Services.AddOptions<PresenceOptions>().Bind(builder.Configuration.GetSection(PresenceOptions.Section))
                .Validate(o => o.OfflineGrace > TimeSpan.Zero, "Presence:OfflineGrace must be positive.")
                .Validate(o => o.IdleAway > TimeSpan.Zero, "Presence:IdleAway must be positive.")
                .ValidateOnStart();
            builder.Services.AddOptions<ZoneOptions>().Bind(builder.Configuration.GetSection(ZoneOptions.Section))
                .Validate(o => o.MaxMovesPerSecond > 0, "Zones:MaxMovesPerSecond must be positive.")
                .Validate(o => o.MaxPlayers > 0, "Zones:MaxPlayers must be positive.")
                .Validate(o => double.IsFinite(o.CellSize) && o.CellSize > 0, "Zones:CellSize must be a positive number.")
                .Validate(o => o.PresenceInterval >= TimeSpan.FromMilliseconds(1), "Zones:PresenceInterval must be at least 1 ms (ZonePresence numbers its batches from the clock in ms).")
                .ValidateOnStart();
            builder.Services.AddOptions<GuildOptions>().Bind(builder.Configuration.GetSection(GuildOptions.Section))
                .Validate(o => o.MaxMembers > 0, "Guilds:MaxMembers must be positive.")
                .Validate(o => o.MaxPendingInvites > 0, "Guilds:MaxPendingInvites must be positive.")
                .ValidateOnStart();
            builder.Services.AddOptions<AnnouncementOptions>().Bind(builder.Configuration.GetSection(AnnouncementOptions.Section))
                .Validate(o => o.Replay >= TimeSpan.Zero && o.Replay <= TimeSpan.FromDays(1), "Announcements:Replay must be between 0 and 1 day.")
                .ValidateOnStart();
            builder.Services.AddOptions<PartyOptions>().Bind(builder.Configuration.GetSection(PartyOptions.Section))
                .Validate(o => o.MaxMembers >= 2, "Parties:MaxMembers must be at least 2.")
                .ValidateOnStart();
            builder.Services.AddOptions<WorldOptions>().Bind(builder.Configuration.GetSection(WorldOptions.Section))
                .Validate(o => double.IsFinite(o.MessagesPerSecond) && o.MessagesPerSecond >= 1, "Channels:World:MessagesPerSecond must be at least 1.")
                .ValidateOnStart();
            builder.Services.AddOptions<HistoryOptions>().Bind(builder.Configuration.GetSection(HistoryOptions.Section))
                .ValidateOnStart();
            builder.Services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
            builder.Services.AddOptions<MessageOptions>().Bind(builder.Configuration.GetSection(MessageOptions.Section))
                .Validate(o => o.IdempotencyWindow > TimeSpan.Zero && o.IdempotencyWindow <= TimeSpan.FromDays(1), "Messages:IdempotencyWindow must be positive and at most 1 day.")
                .ValidateOnStart();
            builder.Services.AddOptions<QuotaOptions>().Bind(builder.Configuration.GetSection(QuotaOptions.Section))
                .Validate(o => o.ConnectionsPerUser > 0, "Quotas:ConnectionsPerUser must be positive.")
                .Validate(o => o.RoomsPerUser > 0, "Quotas:RoomsPerUser must be positive.")
                .Validate(o => o.RoomMembers > 0, "Quotas:RoomMembers must be positive.")
                .Validate(o => o.RoomIdleExpiry >= TimeSpan.FromSeconds(1), "Quotas:RoomIdleExpiry must be at least 1 second.")
                .ValidateOnStart();
            builder.Services.TryAddSingleton(TimeProvider.System);
            if (cluster.Redis is null)
            {
                builder.Services.AddSingleton<IMessageLog, MemoryMessageLog>();
            }
            else
            {
                builder.Services.AddSingleton<IMessageLog, RedisMessageLog>();
            }
            builder.UseOrleans(silo =>
            {
                ConfigureSilo(silo, cluster);
                silo.AddDashboard(dashboard);
            });
        }
        else
        {
            builder.UseOrleansClient(client => client
                .UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(cluster.Redis!))
                .Configure<Orleans.Configuration.ClusterOptions>(options => options.ClusterId = options.ServiceId = cluster.ClusterId)
                .AddOutgoingGrainCallFilter<ClusterSecretFilter>()
                .AddDashboard(dashboard));
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
        // Rooms expire by reminder (Quotas:RoomIdleExpiry), which may be shorter than Orleans' default minimum.
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        silo.Services.AddSingleton<ClusterSecretFilter>()
            .AddSingleton<IIncomingGrainCallFilter>(services => services.GetRequiredService<ClusterSecretFilter>())
            .AddSingleton<IOutgoingGrainCallFilter>(services => services.GetRequiredService<ClusterSecretFilter>());
        if (cluster.Redis is null)
        {
            // Embedded mode: one process, nothing else to install.
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ClusterId, clusterId: cluster.ClusterId)
                .AddMemoryGrainStorage(ObjectStorage.Name)
                .UseInMemoryReminderService();
            return;
        }
        silo.UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(cluster.Redis))
            .AddRedisGrainStorage(ObjectStorage.Name, options =>
            {
                options.ConfigurationOptions = RedisConfiguration(cluster.Redis);
                // A deleted object (an expired room, an ended guild) leaves nothing in Redis.
                options.DeleteStateOnClear = true;
            })
            .UseRedisReminderService(options => options.ConfigurationOptions = RedisConfiguration(cluster.Redis))
            .Configure<Orleans.Configuration.ClusterOptions>(options => options.ClusterId = options.ServiceId = cluster.ClusterId)
            .Configure<Orleans.Configuration.ClusterMembershipOptions>(options =>
            {
                // A paused or cut-off silo is suspected after 2 probes 1 s apart go unanswered, and declared dead once two
                // silos agree: about 9 s after it stopped, measured (with Orleans' defaults, 5 s probes and 3 missed, about
                // 25 s). Its objects then activate elsewhere. The price: a silo that stalls that long (a very long GC
                // pause, an overloaded machine) is declared dead too, and stops itself when it finds out.
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                // Orleans lengthens probe timeouts (up to 4 times) while the probing silo itself looks unhealthy, and a
                // busy machine looks unhealthy: a 20 s pause then went undetected. Keep them as set.
                options.ExtendProbeTimeoutDuringDegradation = false;
            })
            // The silo and gateway ports listen on the advertised (private) address only.
            .ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        silo.Services.AddOptions<RedisStorageOptions>(ObjectStorage.Name).Configure<IServiceProvider>((options, services) =>
            options.GrainStorageSerializer = new ObjectStateSerializer(services.GetRequiredService<IGrainStorageSerializer>()));
    }
}
