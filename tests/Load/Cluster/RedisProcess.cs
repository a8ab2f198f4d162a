using System.Diagnostics;
using StackExchange.Redis;

namespace SignalRChat.Load.Cluster;

/// <summary>The tool's own <c>redis-server</c> on a free loopback port, in a temporary folder, saving only when told
/// (<see cref="RestartAsync"/>); stopped by its process id.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _admin;
    private readonly string _folder;
    private Process _process;

    private RedisProcess(Process process, int port, string folder, ConnectionMultiplexer admin)
    {
        _process = process;
        Port = port;
        _folder = folder;
        _admin = admin;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>The hub processes' connection string: the application's ACL user and its password.</summary>
    public string ConnectionString => LocalSecrets.RedisConnectionString(Port);

    /// <summary>The address, for the administrative connection's server commands.</summary>
    private string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync()
    {
        var port = FreePort.Next();
        var folder = Directory.CreateTempSubdirectory("signalrchat-load-redis-").FullName;
        var process = StartProcess(port, folder);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var admin = await ConnectionMultiplexer.ConnectAsync(LocalSecrets.RedisAdminConnectionString(port));
                return new RedisProcess(process, port, folder, admin);
            }
            catch (RedisConnectionException) when (deadline.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>PUBLISH commands served since the last <see cref="ResetAsync"/>.</summary>
    public async Task<long> PublishCountAsync()
    {
        var info = await _admin.GetServer(Endpoint).InfoRawAsync("commandstats");
        foreach (var line in info!.Split('\n'))
        {
            if (line.StartsWith("cmdstat_publish:calls=", StringComparison.Ordinal))
            {
                return long.Parse(line["cmdstat_publish:calls=".Length..line.IndexOf(',')]);
            }
        }
        return 0;
    }

    /// <summary>Commands of every kind Redis has served since it started, these look-ups included.</summary>
    public async Task<long> CommandCountAsync()
    {
        var info = await _admin.GetServer(Endpoint).InfoRawAsync("stats");
        var line = info!.Split('\n').First(l => l.StartsWith("total_commands_processed:", StringComparison.Ordinal));
        return long.Parse(line["total_commands_processed:".Length..].Trim());
    }

    /// <summary>Bytes Redis has read from its clients since the last <see cref="ResetAsync"/>: every command, with its
    /// arguments (storage writes, backplane publishes, heartbeats).</summary>
    public async Task<long> NetInputBytesAsync()
    {
        var info = await _admin.GetServer(Endpoint).InfoRawAsync("stats");
        var line = info!.Split('\n').First(l => l.StartsWith("total_net_input_bytes:", StringComparison.Ordinal));
        return long.Parse(line["total_net_input_bytes:".Length..].Trim());
    }

    /// <summary>Restarts Redis on the same port with its data (saved first, loaded on start), as an operator's restart
    /// with persistence: every client loses its connections and reconnects. Returns once Redis answers again.</summary>
    public async Task RestartAsync()
    {
        await ShutdownSavingAsync(_admin, Endpoint);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        _process = StartProcess(Port, _folder);
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(50))
        {
            try
            {
                await _admin.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) when (waited.Elapsed < TimeSpan.FromSeconds(15))
            {
                // Still loading, or the admin connection is still reconnecting.
            }
        }
    }

    /// <summary>
    /// Stops Redis the way an operator's restart with persistence does: <c>SHUTDOWN SAVE</c> writes the data as of the
    /// moment it stops taking commands, so nothing acknowledged before is lost (a save followed by a kill would lose what
    /// came in between).
    /// </summary>
    internal static async Task ShutdownSavingAsync(ConnectionMultiplexer admin, string endpoint)
    {
        try
        {
            await admin.GetServer(endpoint).ExecuteAsync("SHUTDOWN", "SAVE");
        }
        catch (RedisException)
        {
            // Redis closes the connection instead of answering: that is the shutdown.
        }
    }

    /// <summary>Holds every write command (<c>CLIENT PAUSE … WRITE</c>) for <paramref name="duration"/>.</summary>
    public Task PauseWritesAsync(TimeSpan duration) =>
        _admin.GetServer(Endpoint).ExecuteAsync("CLIENT", "PAUSE", ((long)duration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "WRITE");

    /// <summary>Empties the data and the command statistics, for the next mode.</summary>
    public async Task ResetAsync()
    {
        var server = _admin.GetServer(Endpoint);
        await server.FlushAllDatabasesAsync();
        await server.ExecuteAsync("CONFIG", "RESETSTAT");
    }

    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts <c>redis-server</c> on loopback, with the users and passwords of <see cref="LocalSecrets"/>.</summary>
    internal static Process StartProcess(int port, string folder)
    {
        var start = new ProcessStartInfo(RedisServerPath())
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--aclfile");
        start.ArgumentList.Add(LocalSecrets.WriteRedisAclFile(folder));
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string RedisServerPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (./test.sh and ./run.sh install it).");
}
