using System.Net;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Operations;

/// <summary>The Orleans dashboard: off unless configured, then served at its path.</summary>
public sealed class DashboardTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task TheDashboard_IsOffByDefault_AndServedAtItsPathWhenEnabled()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var plain = await HubInstance.StartAsync(redis.ConnectionString);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{plain.Url}/dashboard/")).StatusCode);
        await plain.DisposeAsync();

        await using var withDashboard = await HubInstance.StartAsync(redis.ConnectionString, "Dashboard:Enabled=true");
        var page = await Http.GetAsync($"{withDashboard.Url}/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
