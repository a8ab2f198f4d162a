using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Access;
using SignalRChat.Hub.Admin;
using SignalRChat.Hub.Auth;
using SignalRChat.Hub.Cluster;
using SignalRChat.Hub.Health;
using SignalRChat.Hub.Hubs;
using SignalRChat.Hub.Limits;
using SignalRChat.Hub.Logging;
using SignalRChat.Hub.Metrics;
using SignalRChat.Hub.Presence;
using SignalRChat.Objects.Runtime;
using SignalRChat.Push;

namespace SignalRChat.Hub.Hosting;

/// <summary>Composes a hub cluster process: the same code runs the executable and the tests' in-process instances.</summary>
public static class HubApplication
{
    /// <summary>The configuration section of the backplane's settings (<see cref="ClusterBackplaneOptions"/>).</summary>
    public const string PushSection = "Push";

    private const string HubPath = "/hub";

    /// <summary>Builds the process from command-line args and standard .NET configuration.</summary>
    /// <param name="args">Command-line args, for example <c>--urls http://127.0.0.1:5000 --ConnectionStrings:Redis=127.0.0.1:6379</c>.</param>
    /// <param name="configure">Lets a host (the tests) add configuration or services before the build.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(HubApplication).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);

        var cluster = ReadClusterOptions(builder.Configuration);
        builder.Services.AddSingleton(Options.Create(cluster));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = cluster.ShutdownTimeout);
        if (cluster.SocketSendBufferBytes is { } sendBuffer)
        {
            // Accepted sockets take the listening socket's send buffer (Linux), which a set size stops growing.
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = sendBuffer;
                return socket;
            });
        }

        // The backplane before the objects: hosted services stop in reverse order, so the silo stops (and its grains
        // stop pushing) before the backplane closes.
        builder.Services.AddSignalR(hub => hub.AddFilter<HubErrorLogFilter>())
            .AddMessagePackProtocol()
            .AddClusterBackplane(options => ConfigureBackplane(options, builder.Configuration, cluster));
        builder.Services.AddSingleton<LogThrottles>();
        builder.Services.AddSingleton<IClientPush, HubClientPush>();
        builder.Services.AddSingleton<IClientDirectory, ClusterClientDirectory>();
        var dashboard = builder.Configuration.ReadDashboardOptions();
        builder.AddObjects(cluster, dashboard);
        builder.AddClusterMetrics();
        AddHealthChecks(builder.Services, cluster);
        if (cluster.HostsHub)
        {
            builder.Services.AddHubAuthentication(builder.Configuration);
            builder.Services.AddOptions<AccessOptions>().Bind(builder.Configuration.GetSection(AccessOptions.Section)).ValidateOnStart();
            builder.Services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
            builder.Services.AddSingleton<AccessRules>();
            builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section)).ValidateOnStart();
            builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
            builder.Services.AddSingleton<LimitMetrics>();
            builder.Services.AddSingleton<CallLimits>();
            builder.Services.AddConnectionLimits(HubPath);
            builder.Services.AddSingleton<InstanceDrain>();
            builder.Services.AddSingleton<HubMetrics>();
            AddClusterView(builder.Services);
            builder.Services.AddOptions<ObjectCallOptions>().Bind(builder.Configuration.GetSection(ObjectCallOptions.Section))
                .Validate(o => o.CallTimeout > TimeSpan.Zero && o.CallTimeout <= TimeSpan.FromMinutes(5), "Objects:CallTimeout must be positive and at most 5 minutes.")
                .ValidateOnStart();
            // After the objects: started once the silo (or the client of the silos) is.
            builder.Services.AddSingleton<PresenceReporter>();
            builder.Services.AddHostedService(services => services.GetRequiredService<PresenceReporter>());
        }

        var app = builder.Build();
        MapHealthChecks(app);
        app.MapClusterMetrics();
        app.MapDashboard(dashboard);
        if (cluster.HostsHub)
        {
            app.UseWebClient();
            app.UseCors();
            app.UseAuthentication();
            // After authentication (connections are counted per user) and before authorization (attempts without a
            // valid token are counted per address too).
            app.UseRateLimiter();
            app.UseAuthorization();
            app.MapDevelopmentLogin(ClusterOrigins.Policy);
            app.MapAdmin();
            app.MapCluster();
            // Before the refusal below: a draining instance sends negotiating clients to another one.
            app.UseNegotiateRedirect(HubPath);
            var drain = app.Services.GetRequiredService<InstanceDrain>();
            app.Use(async (context, next) =>
            {
                // A stopping instance takes no new connections: the client's next try goes elsewhere.
                if (drain.IsDraining && context.Request.Path.StartsWithSegments(HubPath))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    return;
                }
                await next(context);
            });
            // A connection closes when its token expires, not only new ones are refused.
            app.MapHub<ObjectHub>(HubPath, options => options.CloseOnAuthenticationExpiration = true).RequireCors(ClusterOrigins.Policy);
            drain.RunWhenStopping(app.Lifetime, app.Services.GetRequiredService<InstanceLoads>().RefreshNowAsync);
            // Made now, so its gauges are measured before the first call.
            app.Services.GetRequiredService<HubMetrics>();
            var access = app.Services.GetRequiredService<AccessRules>();
            app.Lifetime.ApplicationStarted.Register(() => HostingLog.AccessRules(app.Logger, string.Join("; ", access.Describe())));
        }
        return app;
    }

    private static ClusterOptions ReadClusterOptions(IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        cluster.Redis = configuration.GetConnectionString("Redis") is { Length: > 0 } redis ? redis : null;
        var validation = new ClusterOptionsValidator().Validate(null, cluster);
        return validation.Failed ? throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions), validation.Failures) : cluster;
    }

    /// <summary>The backplane's settings: the <c>Push</c> section, and the Redis and instance settings of the cluster.</summary>
    private static void ConfigureBackplane(ClusterBackplaneOptions options, IConfiguration configuration, ClusterOptions cluster)
    {
        configuration.GetSection(PushSection).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        options.Configuration = cluster.Redis;
        options.InstanceId = cluster.InstanceId;
        options.InstanceTtl = cluster.InstanceTtl;
    }

    /// <summary>The instance directory's loads, the negotiate redirect, <c>/cluster</c> and the cluster's web origins.</summary>
    private static void AddClusterView(IServiceCollection services)
    {
        services.AddSingleton<LoadSampler>();
        services.AddSingleton<InstanceLoads>();
        services.AddHostedService(provider => provider.GetRequiredService<InstanceLoads>());
        services.AddSingleton<LoadBalancer>();
        services.AddSingleton<GrainCounts>();
        services.AddSingleton<ClusterOrigins>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<ClusterOrigins>((cors, origins) => cors.AddPolicy(ClusterOrigins.Policy, origins.Configure));
    }

    /// <summary><c>/healthz/live</c> answers while the process serves requests; <c>/healthz/ready</c> (and <c>/healthz</c>)
    /// while it takes clients: not draining (degraded), Redis and the silo reachable.</summary>
    private static void MapHealthChecks(WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        var ready = new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        };
        app.MapHealthChecks("/healthz/ready", ready);
        app.MapHealthChecks("/healthz", ready);
    }

    private static void AddHealthChecks(IServiceCollection services, ClusterOptions cluster)
    {
        var checks = services.AddHealthChecks();
        if (cluster.HostsHub)
        {
            checks.AddCheck<InstanceDrain>("draining");
        }
        if (cluster.Redis is not null)
        {
            checks.AddCheck<RedisHealthCheck>("redis");
        }
        if (cluster.HostsObjects)
        {
            checks.AddCheck<SiloHealthCheck>("silo");
        }
    }
}
