using System.Net;
using System.Net.Http.Json;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Operations;

/// <summary><c>GET /cluster</c>: the live instances with their URLs and loads, on every instance; and the web origins it allows.</summary>
public sealed class ClusterViewTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task EveryInstance_ListsTheLiveInstancesWithUrlsLoadsAndObjects_AndForgetsOneThatStops()
    {
        await using var cluster = await ThreeInstances.StartAsync();
        await using var alice = await TestClient.ConnectAsync(cluster.Instances[1], "alice");
        await alice.CallAsync("ChatRoom-view", "Join");

        await Eventually.TrueAsync(async () =>
        {
            var view = await ViewAsync(cluster.A.Url);
            return view.GetProperty("instances").EnumerateArray().Any(i => i.GetProperty("connections").GetInt32() == 1)
                && view.GetProperty("grains").TryGetProperty("ChatRoom", out var rooms) && rooms.GetInt32() >= 1;
        }, "A lists alice's connection and the room");
        var listed = (await ViewAsync(cluster.A.Url)).GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(cluster.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal), listed.Select(i => i.GetProperty("instanceId").GetString()));
        foreach (var instance in cluster.Instances)
        {
            var entry = listed.Single(i => i.GetProperty("instanceId").GetString() == instance.InstanceId);
            Assert.Equal(instance.Url, entry.GetProperty("url").GetString());
            Assert.Equal("ready", entry.GetProperty("status").GetString());
            Assert.Equal(instance == cluster.Instances[1] ? 1 : 0, entry.GetProperty("connections").GetInt32());
            Assert.True(entry.GetProperty("memoryBytes").GetInt64() > 0);
            Assert.False(entry.TryGetProperty("history", out _));
        }
        var withHistory = (await ViewAsync(cluster.Instances[2].Url, "?history=true")).GetProperty("instances");
        Assert.All(withHistory.EnumerateArray(), i => Assert.True(i.GetProperty("history").GetArrayLength() >= 1));

        var leaving = cluster.Instances[2].InstanceId;
        await cluster.Instances[2].DisposeAsync();
        await Eventually.TrueAsync(async () => (await ViewAsync(cluster.A.Url)).GetProperty("instances").EnumerateArray()
            .All(i => i.GetProperty("instanceId").GetString() != leaving), "A no longer lists the stopped instance");
    }

    [Fact]
    public async Task PagesOfTheClustersOrigins_MayCallEveryInstance_OthersMayNot()
    {
        await using var cluster = await ThreeInstances.StartAsync();

        var own = await PreflightAsync(cluster.A.Url, cluster.Instances[1].Url);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(cluster.Instances[1].Url, own.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", own.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        var foreign = await PreflightAsync(cluster.A.Url, "http://evil.example");
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<JsonElement> ViewAsync(string baseUrl, string query = "") =>
        await Http.GetFromJsonAsync<JsonElement>($"{baseUrl}/cluster{query}");

    /// <summary>What a browser asks before a page of <paramref name="origin"/> negotiates with the hub at <paramref name="baseUrl"/>.</summary>
    private static async Task<HttpResponseMessage> PreflightAsync(string baseUrl, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, $"{baseUrl}/hub/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,x-requested-with");
        return await Http.SendAsync(request);
    }
}
