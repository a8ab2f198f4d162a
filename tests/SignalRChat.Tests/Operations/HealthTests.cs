using System.Net;
using System.Net.Http.Json;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Operations;

/// <summary>Liveness and readiness as orchestrators probe them, and what a draining instance answers.</summary>
public sealed class HealthTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task WhileAnInstanceDrains_ItIsLiveButNotReady_AndSendsNegotiatingClientsToAnother()
    {
        await using var cluster = await ClusterFixture.StartAsync("Cluster:DrainTime=00:00:08");
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"{cluster.A.Url}/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"{cluster.A.Url}/healthz/ready")).StatusCode);
        // Two clients, so the drain spreads their closes over the drain time: the second is asked to move after 4 s.
        await using var first = await TestClient.ConnectAsync(cluster.A, "first");
        await using var second = await TestClient.ConnectAsync(cluster.A, "second");
        await Eventually.TrueAsync(() => cluster.A.LiveLoads.Count == 2 && cluster.A.LiveLoads.All(l => l.Url is not null),
            "A knows B's URL");
        var token = await TestClient.LoginAsync(cluster.A.Url, "late");

        // Stopping runs the drain in the caller's thread, as a SIGTERM handler would.
        var stopping = Task.Run(cluster.StopAAsync);
        await Eventually.TrueAsync(async () => (await Http.GetAsync($"{cluster.A.Url}/healthz/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "A is not ready once it drains");
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"{cluster.A.Url}/healthz/live")).StatusCode);
        await Eventually.TrueAsync(async () => await StatusAsync(cluster.A.Url) == "draining", "A lists itself as draining", TimeSpan.FromSeconds(3));
        var negotiation = await HubHttp.NegotiateAsync(cluster.A.Url, token);
        var redirect = await negotiation.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{cluster.B.Url}/hub?balanced=1", redirect.GetProperty("url").GetString());
        Assert.Equal(token, redirect.GetProperty("accessToken").GetString());

        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(await first.Closed.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(await second.Closed.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>The status the instance at <paramref name="baseUrl"/> lists for itself at <c>/cluster</c>.</summary>
    private static async Task<string?> StatusAsync(string baseUrl)
    {
        var view = await Http.GetFromJsonAsync<JsonElement>($"{baseUrl}/cluster");
        var self = view.GetProperty("instance").GetString();
        return view.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("instanceId").GetString() == self).GetProperty("status").GetString();
    }
}
