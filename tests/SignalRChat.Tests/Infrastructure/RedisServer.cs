using System.Diagnostics;
using System.Net.Sockets;
using SignalRChat.Load.Cluster;
using StackExchange.Redis;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>A real <c>redis-server</c> on a free loopback port, in a temporary folder, stopped by process ID on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port, ConnectionMultiplexer admin)
    {
        _process = process;
        _folder = folder;
        Port = port;
        Admin = admin;
    }

    public int Port { get; }

    /// <summary>The hub instances' connection string: the application's ACL user and its password.</summary>
    public string ConnectionString => LocalSecrets.RedisConnectionString(Port);

    /// <summary>The address, for server commands on <see cref="Admin"/>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>A connection for the tests' own commands (INFO, CLIENT PAUSE…), as Redis' administrative user.</summary>
    public ConnectionMultiplexer Admin { get; }

    /// <summary>The server commands of <see cref="Admin"/>.</summary>
    public IServer AdminServer => Admin.GetServer(Endpoint);

    public static async Task<RedisServer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("signalrchat-redis-").FullName;
        var port = FreePort.Next();
        var process = RedisProcess.StartProcess(port, folder);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                var admin = await ConnectionMultiplexer.ConnectAsync(LocalSecrets.RedisAdminConnectionString(port));
                return new RedisServer(process, folder, port, admin);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>How many times Redis ran <paramref name="command"/> since start or <see cref="ResetStatsAsync"/>.</summary>
    public async Task<long> CommandCallsAsync(string command)
    {
        var info = await AdminServer.InfoRawAsync("commandstats") ?? "";
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }
        var calls = line.Split(':', 2)[1].Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal));
        return long.Parse(calls["calls=".Length..]);
    }

    /// <summary>
    /// Whether a client's command is held by <c>CLIENT PAUSE WRITE</c>. A publish that waits shows so, or, on a
    /// connection it shares with other commands, as the write ahead of it that waits.
    /// </summary>
    public async Task<bool> HasPausedWriteAsync()
    {
        var clients = (string?)await AdminServer.ExecuteAsync("CLIENT", "LIST") ?? "";
        return clients.Split('\n').Select(client => client.Split(' ').FirstOrDefault(f => f.StartsWith("flags=", StringComparison.Ordinal)))
            .Any(flags => flags is not null && flags.Contains('b'));
    }

    /// <summary>Restarts Redis on the same port, keeping the data (saved first, loaded on start), as an operator's
    /// restart with persistence would: every client loses its connection and reconnects.</summary>
    public async Task RestartAsync()
    {
        await RedisProcess.ShutdownSavingAsync(Admin, Endpoint);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        _process = RedisProcess.StartProcess(Port, _folder);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await Admin.GetDatabase().PingAsync();
                return true;
            }
            catch (RedisException)
            {
                return false;
            }
        }, "redis-server answering again", TimeSpan.FromSeconds(15));
    }

    public Task ResetStatsAsync() => AdminServer.ExecuteAsync("CONFIG", "RESETSTAT");

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
