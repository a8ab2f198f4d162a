using System.Diagnostics;
using SignalRChat.Load.Server;

namespace SignalRChat.Load.Cluster;

/// <summary>One hub instance: this tool's own executable in <c>serve</c> mode, a child process on loopback.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;
    private readonly StreamWriter _logWriter;

    private ServerProcess(Process process, string url, string log, StreamWriter logWriter)
    {
        _process = process;
        Url = url;
        _log = log;
        _logWriter = logWriter;
    }

    public string Url { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a signal: <c>KILL</c>, <c>TERM</c>, <c>STOP</c>, <c>CONT</c>.</summary>
    public void Signal(string signal) => Process.Start("kill", [$"-{signal}", _process.Id.ToString()])!.WaitForExit();

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <param name="environment">Environment variables of the process, for example GC settings.</param>
    public static async Task<ServerProcess> StartAsync(string redis, string logDir, IEnumerable<string> settings,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var log = Path.Combine(logDir, $"instance-{port}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(ServerProcess).Assembly.Location, BenchServer.Command,
                "--environment", "Development", "--contentRoot", Paths.HubProject, "--urls", url,
                $"--ConnectionStrings:Redis={redis}",
                $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}",
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orleans=Error",
                // The benchmark drives the cluster past any per-user limit and quota; the flood scenario turns limits on.
                "--RateLimits:Enabled=false",
                "--Quotas:RoomsPerUser=1000000", "--Quotas:ConnectionsPerUser=1000000", "--Cluster:DrainTime=00:00:00",
                // The benchmark puts each client on the instance it names.
                "--Cluster:RebalanceThreshold=0",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var setting in settings)
        {
            start.ArgumentList.Add($"--{setting}");
        }
        foreach (var (name, value) in LocalSecrets.HubEnvironment.Concat(environment))
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, url, log, writer);
        try
        {
            await server.WaitHealthyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first, so the instance leaves the cluster as in production; then make sure.
        await ChildProcessStop.StopAsync(_process, p => Process.Start("kill", ["-TERM", p.Id.ToString()])!.WaitForExit(), TimeSpan.FromSeconds(20));
        lock (_logWriter)
        {
            _logWriter.Dispose();
        }
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The hub instance {Url} exited ({_process.ExitCode}); see {_log}.");
            }
            try
            {
                if ((await http.GetAsync($"{Url}/healthz", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"The hub instance {Url} was not healthy after 90 s; see {_log}.");
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (writer)
        {
            if (writer.BaseStream.CanWrite)
            {
                writer.WriteLine(line);
            }
        }
    }
}
