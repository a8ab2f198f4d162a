using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class AuthTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ConnectionWithoutToken_IsRefused()
    {
        await using var connection = new HubConnectionBuilder().WithUrl($"{cluster.A.Url}/hub").Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task ConnectionWithTokenSignedByAnotherKey_IsRefused()
    {
        // A structurally valid HS256 token for user "alice", signed with a different key.
        const string forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJzaWduYWxyY2hhdCIsImlzcyI6InNpZ25hbHJjaGF0IiwiZXhwIjo0MTAyNDQ0ODAwLCJzdWIiOiJhbGljZSIsIm5hbWUiOiJhbGljZSJ9.Zm9yZ2VkLXNpZ25hdHVyZS1mb3JnZWQtc2lnbmF0dXJlLTE";
        await using var connection = new HubConnectionBuilder()
            .WithUrl($"{cluster.A.Url}/hub", o => o.AccessTokenProvider = () => Task.FromResult<string?>(forged))
            .Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory]
    [InlineData("", "user is required.")]
    [InlineData("has space", "user may hold only letters, digits, '_', '-' and '.' (ASCII).")]
    [InlineData("\u0430lice", "user may hold only letters, digits, '_', '-' and '.' (ASCII).")]
    public async Task DevelopmentLogin_WithABadUserName_Answers400WithTheReason(string user, string reason)
    {
        using var http = new HttpClient { BaseAddress = new Uri(cluster.A.Url) };

        var response = await http.PostAsJsonAsync("/auth/token", new { user });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task UserName_ComesFromTheToken_AndArgsCannotClaimAnother()
    {
        await using var client = await TestClient.ConnectAsync(cluster.B, "trudy");
        await client.CallAsync("ChatRoom-identity", "Join");

        var impersonation = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() =>
            client.CallAsync("ChatRoom-identity", "SendMessage", new { text = "hi", user = "alice" }));
        var sent = await client.CallAsync("ChatRoom-identity", "SendMessage", new { text = "hi" });

        Assert.Contains("'user' is not a known field", impersonation.Message);
        Assert.Equal("trudy", sent.GetProperty("user").GetString());
    }

    [Fact]
    public async Task TokenWithAnInvalidUserName_IsRefused()
    {
        var token = cluster.A.Services.GetRequiredService<SignalRChat.Hub.Auth.TokenIssuer>().Issue("bad\nname");
        await using var connection = new HubConnectionBuilder()
            .WithUrl($"{cluster.A.Url}/hub", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
