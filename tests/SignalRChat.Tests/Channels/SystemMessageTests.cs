using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Notices;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Channels;

/// <summary>System messages over two instances: the admin endpoint and its tokens, delivery on every connection, kept
/// for offline players across restarts until acknowledged, and the server-side API.</summary>
public sealed class SystemMessageTests : IAsyncLifetime
{
    private ClusterFixture _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterFixture.StartAsync("Auth:DevelopmentAdmins=ops, root");

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task TheAdminEndpoint_RefusesNoTokenAndNonAdminTokens()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_cluster.A.Url) };
        var body = new { code = "maintenance", text = "Restart at 03:00" };

        var anonymous = await http.PostAsJsonAsync("/admin/players/sam/messages", body);
        var player = await PostAsync(http, await TestClient.LoginAsync(_cluster.A.Url, "sam"), "/admin/players/sam/messages", body);
        var admin = await PostAsync(http, await TestClient.LoginAsync(_cluster.A.Url, "ops"), "/admin/players/sam/messages", body);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, player.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.StartsWith("system#", (await admin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AMessageToAnOfflinePlayer_SurvivesRestarts_ArrivesOnConnect_AndIsGoneOnceAcknowledged()
    {
        using (var http = new HttpClient { BaseAddress = new Uri(_cluster.B.Url) })
        {
            var sent = await PostAsync(http, await TestClient.LoginAsync(_cluster.B.Url, "root"), "/admin/players/tess/messages",
                new { code = "reward.granted", text = "You got 100 gold", data = new { gold = 100 } });
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        await _cluster.RestartInstancesAsync();

        await using var tess = await ConnectListeningAsync(_cluster.A, "tess");
        var message = await tess.NextAsync("SystemMessage");
        Assert.Equal("reward.granted", message.GetProperty("code").GetString());
        Assert.Equal("You got 100 gold", message.GetProperty("text").GetString());
        Assert.Equal(100, message.GetProperty("data").GetProperty("gold").GetInt32());
        var ack = await tess.CallAsync("Player-tess", "Ack", new { ids = new[] { message.GetProperty("id").GetString() } });
        Assert.Equal(1, ack.GetProperty("confirmed").GetInt32());

        // A later message is the first a new connection hears: the acknowledged one is no longer kept.
        var grains = _cluster.A.Services.GetRequiredService<IGrainFactory>();
        var later = await SystemMessages.SendAsync(grains, "tess", "season.start", "Season 2 begins");
        await using var again = await ConnectListeningAsync(_cluster.B, "tess");
        Assert.Equal(later.Id, (await again.NextAsync("SystemMessage")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AMessageToAnOnlinePlayer_ReachesEveryConnection_OverBothProtocols()
    {
        await using var onA = await ConnectListeningAsync(_cluster.A, "uri");
        await using var onB = await ConnectListeningAsync(_cluster.B, "uri", Protocol.MessagePack);

        var sent = await SystemMessages.SendAsync(_cluster.B.Services.GetRequiredService<IGrainFactory>(), "uri", "friend.request", "vic wants to be friends",
            JsonDocument.Parse("{\"from\":\"vic\"}").RootElement);

        foreach (var connection in new[] { onA, onB })
        {
            var received = await connection.NextAsync("SystemMessage");
            Assert.Equal(sent.Id, received.GetProperty("id").GetString());
            Assert.Equal("vic", received.GetProperty("data").GetProperty("from").GetString());
        }
    }

    [Fact]
    public async Task AnAnnouncement_ReachesEveryConnectionOnEveryInstance_AndConnectionsOpenedSoonAfter()
    {
        await using var onA = await TestClient.ConnectAsync(_cluster.A, "ann-a", listenTo: "Announcement");
        await using var onB = await TestClient.ConnectAsync(_cluster.B, "ann-b", Protocol.MessagePack, listenTo: "Announcement");
        using var http = new HttpClient { BaseAddress = new Uri(_cluster.A.Url) };
        var body = new { text = "Double XP this weekend", data = new { multiplier = 2 } };

        var refused = await PostAsync(http, await TestClient.LoginAsync(_cluster.A.Url, "ann-a"), "/admin/announcements", body);
        var sent = await PostAsync(http, await TestClient.LoginAsync(_cluster.A.Url, "ops"), "/admin/announcements", body);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        foreach (var connection in new[] { onA, onB })
        {
            var announcement = await connection.NextAsync("Announcement");
            Assert.Equal(id, announcement.GetProperty("id").GetString());
            Assert.Equal("Double XP this weekend", announcement.GetProperty("text").GetString());
            Assert.Equal(2, announcement.GetProperty("data").GetProperty("multiplier").GetInt32());
        }
        await using var late = await TestClient.ConnectAsync(_cluster.B, "ann-late", listenTo: "Announcement");
        Assert.Equal(id, (await late.NextAsync("Announcement")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnnouncementsFromServerCode_AreCheckedLikeTheEndpoints()
    {
        var grains = _cluster.A.Services.GetRequiredService<IGrainFactory>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Announcements.SendAsync(grains, " "));
        var announcement = await Announcements.SendAsync(grains, "Servers restart in 10 minutes");

        Assert.Equal("text must not be empty.", error.Message);
        Assert.Equal([announcement.Id], (await Announcements.RecentAsync(grains)).Select(a => a.Id));
    }

    [Theory]
    [InlineData("{\"code\":\"bad code!\",\"text\":\"x\"}", "code must be 1-64 ASCII letters, digits, '.', '_' or '-'.")]
    [InlineData("{\"code\":\"ok\",\"text\":\"  \"}", "text must not be empty.")]
    [InlineData("{\"code\":\"ok\",\"text\":\"x\",\"data\":[1]}", "data must be a JSON object or null; it was array.")]
    public async Task BadMessages_GetTheReason(string body, string expected)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_cluster.A.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/players/wes/messages") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TestClient.LoginAsync(_cluster.A.Url, "ops"));

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    private static async Task<TestClient> ConnectListeningAsync(HubInstance instance, string user, Protocol protocol = Protocol.Json)
    {
        // Listen before connecting: pending system messages come right after the connection opens.
        return await TestClient.ConnectAsync(instance, user, protocol, listenTo: "SystemMessage");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}
