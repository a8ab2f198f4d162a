using System.Net.Http.Json;
using System.Text.Json;

namespace SignalRChat.Load.Cluster;

/// <summary>K hub instances on the tool's Redis, started for one mode and stopped after it.</summary>
internal sealed class LoadCluster : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(30) };

    /// <summary>
    /// Thread-pool workers that find no work block at once instead of spinning first: on this machine the instances,
    /// Redis and the crowd share two cores, and spinning took a quarter of the instances' CPU at 500 presence changes/s
    /// (2.2 ms of CPU per change with the default, 1.6 ms without). A setting for hosts where the hub shares its cores.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NoSpinning = new Dictionary<string, string> { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" };

    private LoadCluster(IReadOnlyList<ServerProcess> servers) => Servers = servers;

    public IReadOnlyList<ServerProcess> Servers { get; }

    public IReadOnlyList<string> Urls => [.. Servers.Select(s => s.Url)];

    public static async Task<LoadCluster> StartAsync(RedisProcess redis, int instances, string logDir, IEnumerable<string> settings,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var starting = Enumerable.Range(0, instances)
            .Select(_ => ServerProcess.StartAsync(redis.ConnectionString, logDir, settings, environment ?? new Dictionary<string, string>(), cancellationToken)).ToList();
        try
        {
            return new LoadCluster(await Task.WhenAll(starting));
        }
        catch
        {
            foreach (var task in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>CPU time all instances have used, in milliseconds.</summary>
    public double CpuMs() => Servers.Sum(s => Cluster.ProcessStats.CpuMs(s.Pid));

    /// <summary>Resident memory of all instances, in bytes.</summary>
    public long RssBytes() => Servers.Sum(s => Cluster.ProcessStats.RssBytes(s.Pid));

    /// <summary>The managed heap of all instances after a full collection in each, in bytes.</summary>
    public async Task<long> HeapBytesAsync(CancellationToken cancellationToken) =>
        (await Task.WhenAll(Servers.Select(s => _http.GetFromJsonAsync<long>($"{s.Url}/bench/heap", cancellationToken)))).Sum();

    /// <summary>A token from the development login; every connection of the crowd uses it.</summary>
    public async Task<string> LoginAsync(string user)
    {
        var response = await _http.PostAsJsonAsync($"{Servers[0].Url}/auth/token", new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Methods the JIT has compiled so far, summed over the instances: it stops growing once they are warm.</summary>
    public async Task<long> CompiledMethodsAsync(CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(Servers.Select(s => _http.GetFromJsonAsync<long>($"{s.Url}/bench/jit", cancellationToken)));
        return counts.Sum();
    }

    /// <summary>Per instance, the milliseconds it has spent paused for garbage collection since it started.</summary>
    public async Task<double[]> GcPauseMsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Servers.Select(s => _http.GetFromJsonAsync<double>($"{s.Url}/bench/gc-pause", cancellationToken)));

    public async Task<T> PostAsync<T>(int instance, string path, object? body, CancellationToken cancellationToken)
    {
        var response = await _http.PostAsJsonAsync($"{Servers[instance].Url}{path}", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
    }

    public async Task PostAsync(int instance, string path, object? body, CancellationToken cancellationToken) =>
        (await _http.PostAsJsonAsync($"{Servers[instance].Url}{path}", body, cancellationToken)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Task.WhenAll(Servers.Select(s => s.DisposeAsync().AsTask()));
    }
}
