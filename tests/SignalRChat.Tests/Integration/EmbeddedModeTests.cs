using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Auth;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>One instance without Redis (embedded mode), with access rules narrowed in configuration.</summary>
public sealed class EmbeddedFixture : IAsyncLifetime
{
    public HubInstance Instance { get; private set; } = null!;

    public async Task InitializeAsync() => Instance = await HubInstance.StartAsync(redis: null,
        "Access:Objects:ChatRoom:Create=false",
        "Access:Objects:ChatRoom:Methods=Join, Leave, SendMessage, GetMessages");

    public async Task DisposeAsync() => await Instance.DisposeAsync();
}

public sealed class EmbeddedModeTests(EmbeddedFixture embedded) : IClassFixture<EmbeddedFixture>
{
    [Fact]
    public async Task ChatWorksWithoutRedis()
    {
        await using var alice = await TestClient.ConnectAsync(embedded.Instance, "alice");
        await using var bob = await TestClient.ConnectAsync(embedded.Instance, "bob", Protocol.MessagePack);
        await alice.CallAsync("ChatRoom-solo", "Join");
        await bob.CallAsync("ChatRoom-solo", "Join");

        await alice.CallAsync("ChatRoom-solo", "SendMessage", new { text = "no redis needed" });

        Assert.Equal("no redis needed", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task MethodNotInTheAccessRules_IsRefused()
    {
        await using var client = await TestClient.ConnectAsync(embedded.Instance, "carol");

        var error = await Assert.ThrowsAsync<HubException>(() => client.CallAsync("ChatRoom-solo", "ListMembers"));

        Assert.Contains("Clients may not call ChatRoom.ListMembers.", error.Message);
    }

    [Fact]
    public async Task CreateOfATypeNotCreatableByClients_IsRefused()
    {
        await using var client = await TestClient.ConnectAsync(embedded.Instance, "dave");

        var error = await Assert.ThrowsAsync<HubException>(() => client.CreateAsync("ChatRoom", "ChatRoom-new"));

        Assert.Contains("Clients may not create ChatRoom objects.", error.Message);
    }

    [Fact]
    public async Task PushToAnotherInstance_IsDroppedAndCounted()
    {
        var push = embedded.Instance.Services.GetRequiredService<IClientPush>();
        var before = embedded.Instance.Metrics.DroppedInstanceGone;

        await push.PushToClientsAsync(["hub-elsewhere/abc", "hub-elsewhere/def"], "Ping", new { });

        Assert.Equal(before + 2, embedded.Instance.Metrics.DroppedInstanceGone);
    }
}

public sealed class StartupValidationTests
{
    [Fact]
    public async Task ShortSigningKey_StopsStartup_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HubInstance.StartAsync(null, "Auth:SigningKey=short"));

        Assert.Contains("Auth:SigningKey must be at least 32 characters", error.Message);
    }

    [Fact]
    public async Task ShortClusterSecret_StopsStartup_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HubInstance.StartAsync(null, "Cluster:Secret=short"));

        Assert.Contains("Cluster:Secret is required: a random string of at least 16 characters", error.Message);
    }

    [Fact]
    public async Task HubRoleWithoutRedis_StopsStartup_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HubInstance.StartAsync(null, "Cluster:Role=Hub"));

        Assert.Contains("Cluster:Role Hub needs ConnectionStrings:Redis", error.Message);
    }

    [Fact]
    public async Task AccessRuleForAnUnknownMethod_StopsStartup_NamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HubInstance.StartAsync(null, "Access:Objects:ChatRoom:Methods=Join, Jion"));

        Assert.Contains("Access:Objects:ChatRoom:Methods names 'Jion', which ChatRoom does not have.", error.Message);
    }

    [Fact]
    public async Task DevelopmentLoginOff_HasNoLoginEndpoint_ButAcceptsTokensSignedWithTheKey()
    {
        await using var instance = await HubInstance.StartAsync(null, "Auth:DevelopmentLogin=false");
        using var http = new HttpClient { BaseAddress = new Uri(instance.Url) };

        var login = await http.PostAsync("/auth/token", new StringContent("{\"user\":\"alice\"}", System.Text.Encoding.UTF8, "application/json"));
        var token = instance.Services.GetRequiredService<TokenIssuer>().Issue("alice");
        await using var connection = new HubConnectionBuilder()
            .WithUrl($"{instance.Url}/hub", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }
}
