using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SignalRChat.Hub.Cluster;
using SignalRChat.Hub.Hosting;
using SignalRChat.Push;
using SignalRChat.Push.Internal;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// One hub instance, built exactly as the executable builds it (<see cref="HubApplication"/>), listening on a real
/// Kestrel port on 127.0.0.1, with the hub project's appsettings and the Development environment (the local cluster).
/// </summary>
public sealed class HubInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _disposed;

    private readonly string? _redis;
    private readonly string[] _settings;

    private HubInstance(WebApplication app, string? redis, string[] settings)
    {
        _app = app;
        _redis = redis;
        _settings = settings;
        // Kestrel bound port 0: the system picked a free port, with no window for another test to take it. The first
        // address when there are several (a private metrics port, say).
        Url = app.Urls.First();
    }

    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public string InstanceId => Services.GetRequiredService<ClusterInstances>().LocalInstanceId;

    internal PushMetrics Metrics => Services.GetRequiredService<PushMetrics>();

    /// <summary>The live instances' loads, as this instance last read them from the directory.</summary>
    internal IReadOnlyList<InstanceLoad> LiveLoads => Services.GetRequiredService<InstanceLoads>().Live;

    /// <param name="redis">The Redis connection string; null for the embedded single-process mode.</param>
    /// <param name="settings">Extra configuration, as <c>key=value</c> (for example <c>Push:Strategy=FanOutOnRead</c>).</param>
    public static Task<HubInstance> StartAsync(string? redis, params string[] settings) => StartAsync(redis, "http://127.0.0.1:0", settings);

    /// <summary>Starts an instance whose log lines also go to <paramref name="logs"/>.</summary>
    public static Task<HubInstance> StartAsync(string? redis, CapturedLogs logs, params string[] settings) =>
        StartAsync(redis, "http://127.0.0.1:0", settings, builder => builder.Logging.AddProvider(logs));

    /// <summary>
    /// Starts a new instance (a new instance ID, as after a process restart) on this one's URL, with its configuration.
    /// Stop this one first.
    /// </summary>
    public Task<HubInstance> StartAgainAsync() => StartAsync(_redis, Url, _settings);

    private static async Task<HubInstance> StartAsync(string? redis, string url, string[] settings, Action<WebApplicationBuilder>? configure = null)
    {
        List<string> args =
        [
            "--environment", "Development",
            "--contentRoot", RepoPaths.HubProject,
            "--urls", url,
            $"--Cluster:SiloPort={FreePort.Next()}",
            $"--Cluster:GatewayPort={FreePort.Next()}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
            $"--Auth:SigningKey={LocalSecrets.SigningKey}",
            $"--Cluster:Secret={LocalSecrets.ClusterSecret}",
            // Tests send as fast as they can; the tests of the limits turn them on (RateLimits:Enabled=true).
            "--RateLimits:Enabled=false",
            // Tests make rooms freely as few users; the quota's tests set it low.
            "--Quotas:RoomsPerUser=100000",
            // Tests stop instances at once; the drain tests set a drain time.
            "--Cluster:DrainTime=00:00:00",
            // Tests put clients on the instance they name; the load balancing tests turn the redirect on.
            "--Cluster:RebalanceThreshold=0",
        ];
        if (redis is not null)
        {
            args.Add($"--ConnectionStrings:Redis={redis}");
        }
        args.AddRange(settings.Select(s => $"--{s}"));
        var app = HubApplication.Build([.. args], configure);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new HubInstance(app, redis, settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await _app.DisposeAsync();
    }
}
