using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SignalRChat.Push;
using SignalRChat.Push.Internal;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A plain ASP.NET Core app with two hubs of its own, on the cluster backplane through the public registration only,
/// as a team with its own hubs would use it: <c>AddSignalR().AddClusterBackplane(...)</c>. Real Kestrel on 127.0.0.1.
/// The user of a connection is the <c>user</c> query parameter.
/// </summary>
public sealed class BackplaneServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BackplaneServer(WebApplication app)
    {
        _app = app;
        Url = app.Urls.Single();
    }

    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public string InstanceId => Services.GetRequiredService<ClusterInstances>().LocalInstanceId;

    internal PushMetrics Metrics => Services.GetRequiredService<PushMetrics>();

    public IHubContext<ConformanceHub> Hub => Services.GetRequiredService<IHubContext<ConformanceHub>>();

    public IHubContext<OtherHub> Other => Services.GetRequiredService<IHubContext<OtherHub>>();

    /// <summary>The manager itself, for the operations a hub context does not offer (client results by hand).</summary>
    public HubLifetimeManager<ConformanceHub> Manager => Services.GetRequiredService<HubLifetimeManager<ConformanceHub>>();

    /// <param name="redis">The Redis connection string; null runs the instance alone.</param>
    /// <param name="configure">Sets the backplane's options.</param>
    /// <param name="socketSendBufferBytes">A fixed socket send buffer for the connections (Linux gives accepted sockets
    /// the listening socket's), so that what the kernel holds for a client that does not read is bounded; null keeps
    /// the kernel's own sizing, which grows to megabytes.</param>
    /// <param name="hub">Sets SignalR's hub options.</param>
    public static async Task<BackplaneServer> StartAsync(string? redis, Action<ClusterBackplaneOptions>? configure = null, int? socketSendBufferBytes = null,
        Action<HubOptions>? hub = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (socketSendBufferBytes is { } bytes)
        {
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = bytes;
                return socket;
            });
        }
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IUserIdProvider, QueryUserIdProvider>();
        builder.Services.AddSignalR(options => hub?.Invoke(options)).AddMessagePackProtocol().AddClusterBackplane(options =>
        {
            options.Configuration = redis;
            configure?.Invoke(options);
        });
        var app = builder.Build();
        app.MapHub<ConformanceHub>("/conformance");
        app.MapHub<OtherHub>("/other");
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new BackplaneServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    private sealed class QueryUserIdProvider : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) => connection.GetHttpContext()?.Request.Query["user"].FirstOrDefault();
    }
}

/// <summary>A hub of a user's own: it tells each connection its client ID, and nothing more.</summary>
public sealed class ConformanceHub : Microsoft.AspNetCore.SignalR.Hub
{
    public override Task OnConnectedAsync() =>
        Clients.Caller.SendAsync("Registered", new Dictionary<string, string> { ["clientId"] = Context.GetClientId() });
}

/// <summary>A second hub type in the same process.</summary>
public sealed class OtherHub : Microsoft.AspNetCore.SignalR.Hub
{
    public override Task OnConnectedAsync() =>
        Clients.Caller.SendAsync("Registered", new Dictionary<string, string> { ["clientId"] = Context.GetClientId() });
}
