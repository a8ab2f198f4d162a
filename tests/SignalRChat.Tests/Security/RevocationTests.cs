using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Security;

/// <summary>Revoked and expired tokens lose their open connections, on every instance, and stay refused after restarts.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task RevokingAUser_ClosesTheirConnectionsOnEveryInstance_AndRefusesTheirOldTokens_AfterRestartsToo()
    {
        await using var cluster = await ClusterFixture.StartAsync("Auth:DevelopmentAdmins=root");
        var oldToken = await TestClient.LoginAsync(cluster.A.Url, "bob");
        await using var onA = await TestClient.ConnectAsync(cluster.A, "bob");
        await using var onB = await TestClient.ConnectAsync(cluster.B, "bob");
        await using var carol = await TestClient.ConnectAsync(cluster.B, "carol");

        await HubHttp.AdminPostAsync(cluster.A.Url, "/admin/users/bob/revoke");

        foreach (var closed in new[] { onA.Closed, onB.Closed })
        {
            var error = await closed.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Contains("Your session was revoked by an administrator: log in again.", error?.Message);
        }
        Assert.False(carol.Closed.IsCompleted);
        Assert.Equal(HttpStatusCode.Unauthorized, (await HubHttp.NegotiateAsync(cluster.B.Url, oldToken)).StatusCode);
        // A token issued after the revocation works (token times are whole seconds: one issued in the same second is
        // revoked too).
        await Eventually.TrueAsync(async () => (await HubHttp.NegotiateAsync(cluster.B.Url, await TestClient.LoginAsync(cluster.B.Url, "bob"))).StatusCode == HttpStatusCode.OK,
            "a token issued after the revocation is accepted", TimeSpan.FromSeconds(10));
        await using (var fresh = await TestClient.ConnectAsync(cluster.B, "bob"))
        {
            await fresh.CallAsync("ChatRoom-after", "Join");
        }

        await cluster.RestartInstancesAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await HubHttp.NegotiateAsync(cluster.A.Url, oldToken)).StatusCode);
    }

    [Fact]
    public async Task RevokingOneToken_ClosesOnlyItsConnections()
    {
        await using var cluster = await ClusterFixture.StartAsync("Auth:DevelopmentAdmins=root");
        await using var first = await TestClient.ConnectAsync(cluster.A, "dana");
        await using var second = await TestClient.ConnectAsync(cluster.B, "dana");
        var firstToken = await TestClient.LoginAsync(cluster.A.Url, "dana");
        await using var third = await ConnectWithAsync(cluster.B, firstToken);

        await HubHttp.AdminPostAsync(cluster.B.Url, $"/admin/tokens/{TokenId(firstToken)}/revoke");

        await third.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        await first.CallAsync("ChatRoom-one-token", "Join");
        await second.CallAsync("ChatRoom-one-token", "Join");
        Assert.Equal(HttpStatusCode.Unauthorized, (await HubHttp.NegotiateAsync(cluster.A.Url, firstToken)).StatusCode);
    }

    [Fact]
    public async Task AnAdministrator_DisconnectsAUserEverywhere_WhoMayComeBack()
    {
        await using var cluster = await ClusterFixture.StartAsync("Auth:DevelopmentAdmins=root");
        await using var onA = await TestClient.ConnectAsync(cluster.A, "erin");
        await using var onB = await TestClient.ConnectAsync(cluster.B, "erin");

        await HubHttp.AdminPostAsync(cluster.B.Url, "/admin/users/erin/disconnect");

        Assert.Contains("An administrator disconnected you.", (await onA.Closed.WaitAsync(TimeSpan.FromSeconds(15)))?.Message);
        Assert.Contains("An administrator disconnected you.", (await onB.Closed.WaitAsync(TimeSpan.FromSeconds(15)))?.Message);
        await using var back = await TestClient.ConnectAsync(cluster.A, "erin");
    }

    [Fact]
    public async Task AnExpiredTokensOpenConnection_IsClosed()
    {
        await using var cluster = await ClusterFixture.StartAsync("Auth:TokenLifetime=00:00:03");
        await using var client = await TestClient.ConnectAsync(cluster.A, "fay");

        await client.Closed.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HubConnectionState.Disconnected, client.Connection.State);
    }

    private static async Task<TestClient> ConnectWithAsync(HubInstance instance, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"{instance.Url}/hub", options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var client = await TestClient.WrapAsync(connection, "dana");
        return client;
    }

    private static string TokenId(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.GetProperty("jti").GetString()!;
    }
}
