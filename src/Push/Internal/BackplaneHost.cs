using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SignalRChat.Push.Internal;

/// <summary>
/// What the hubs of this process share: the Redis connection, made when the host starts (awaited, so a bad setting
/// fails the start), and every hub's backplane and connections, so that stopping drains each outbox and a silent
/// instance can close all its connections.
/// </summary>
internal sealed class BackplaneHost(IOptions<ClusterBackplaneOptions> options, ILogger<BackplaneHost> logger) : IHostedService
{
    private readonly List<(RedisHubBackplane? Backplane, HubConnections Connections)> _hubs = [];
    private IConnectionMultiplexer? _redis;
    private bool _ownsConnection;

    public bool UsesRedis => options.Value.UsesRedis;

    /// <summary>The Redis connection.</summary>
    /// <exception cref="InvalidOperationException">The host has not started, or runs without Redis.</exception>
    public IConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException(
        UsesRedis ? "The cluster backplane has not started yet: its hosted service connects to Redis." : "The cluster backplane runs without Redis (no Configuration).");

    public void Register(RedisHubBackplane? backplane, HubConnections connections)
    {
        lock (_hubs)
        {
            _hubs.Add((backplane, connections));
        }
    }

    /// <summary>How many connections the hubs hold.</summary>
    public int ConnectionCount => Hubs().Sum(h => h.Connections.Count);

    /// <summary>Asks up to <paramref name="count"/> connections not asked before, over every hub, to close with a close
    /// message that allows reconnecting; returns how many were asked.</summary>
    public int RequestClose(int count)
    {
        var asked = 0;
        foreach (var (_, connections) in Hubs())
        {
            asked += connections.RequestClose(count - asked);
        }
        return asked;
    }

    /// <summary>Closes the connections of every hub that <paramref name="match"/> picks, telling their clients why and
    /// not to reconnect.</summary>
    public int Close(Func<Microsoft.AspNetCore.SignalR.HubConnectionContext, bool> match, string reason) =>
        Hubs().Sum(hub => hub.Connections.Close(match, reason));

    /// <summary>Closes every connection of every hub; their clients reconnect.</summary>
    public int AbortAll()
    {
        var aborted = 0;
        foreach (var (_, connections) in Hubs())
        {
            aborted += connections.Count;
            connections.AbortAll();
        }
        return aborted;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.UsesRedis)
        {
            return;
        }
        if (settings.ConnectionFactory is { } factory)
        {
            using var log = new LogWriter(logger);
            _redis = await factory(log);
            return;
        }
        var configuration = ConfigurationOptions.Parse(settings.Configuration!);
        // Reconnect in the background rather than fail when Redis is briefly away.
        configuration.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        _ownsConnection = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Hubs().Where(h => h.Backplane is not null).Select(h => h.Backplane!.StopAsync()));
        if (_ownsConnection && _redis is not null)
        {
            await _redis.CloseAsync(allowCommandsToComplete: false);
            _redis.Dispose();
        }
    }

    private (RedisHubBackplane? Backplane, HubConnections Connections)[] Hubs()
    {
        lock (_hubs)
        {
            return [.. _hubs];
        }
    }

    /// <summary>Hands the connection factory's log lines to the logger.</summary>
    private sealed class LogWriter(ILogger logger) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                PushLog.ConnectionLog(logger, value);
            }
        }
    }
}
