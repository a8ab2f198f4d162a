using System.Net.Http.Json;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A cluster for failover tests: a hub-only process (<see cref="Doomed"/>, to kill) and an in-process instance that
/// also hosts the objects (<see cref="Survivor"/>), on one Redis; started once each lists the other at <c>/cluster</c>,
/// so clients of the doomed one know where to go.
/// </summary>
public sealed class FailoverPair : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private FailoverPair(RedisServer redis, HubInstance survivor, HubProcess doomed) => (Redis, Survivor, Doomed) = (redis, survivor, doomed);

    public RedisServer Redis { get; }

    public HubInstance Survivor { get; }

    public HubProcess Doomed { get; }

    public static async Task<FailoverPair> StartAsync()
    {
        var redis = await RedisServer.StartAsync();
        HubInstance? survivor = null;
        try
        {
            survivor = await HubInstance.StartAsync(redis.ConnectionString);
            var doomed = await HubProcess.StartAsync(redis.ConnectionString, "Cluster:Role=Hub");
            var pair = new FailoverPair(redis, survivor, doomed);
            await Eventually.TrueAsync(async () => await ListsAsync(doomed.Url, survivor.Url) && await ListsAsync(survivor.Url, doomed.Url),
                "each instance lists the other at /cluster", TimeSpan.FromSeconds(30));
            return pair;
        }
        catch
        {
            if (survivor is not null)
            {
                await survivor.DisposeAsync();
            }
            await redis.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> ListsAsync(string instance, string other) =>
        (await Http.GetFromJsonAsync<JsonElement>($"{instance}/cluster")).GetProperty("instances").EnumerateArray()
            .Any(i => i.GetProperty("url").GetString() == other);

    public async ValueTask DisposeAsync()
    {
        await Doomed.DisposeAsync();
        await Survivor.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
