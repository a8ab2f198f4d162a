using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Limits;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Security;

/// <summary>The rate limits with the shipped defaults (appsettings.json), which the other tests turn off.</summary>
public sealed class RateLimitTests
{
    private const string On = "RateLimits:Enabled=true";

    [Fact]
    public async Task AFlooder_IsRefusedPastTheBurst_WithWhenToRetry_WhileOtherUsersAreServed()
    {
        await using var cluster = await ClusterFixture.StartAsync(On);
        const string room = "ChatRoom-flooded";
        await using var alice = await TestClient.ConnectAsync(cluster.B, "alice");
        await alice.CallAsync(room, "Join");
        var flooders = new List<TestClient>();
        for (var i = 0; i < 4; i++)
        {
            var flooder = await TestClient.ConnectAsync(cluster.A, "mallory");
            await flooder.CallAsync(room, "Join");
            flooders.Add(flooder);
        }

        // Four connections of one user send 15 messages each, as fast as they can, while alice chats (fewer than the 20
        // refusals in a row that close a connection).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var floods = flooders.Select(async flooder =>
        {
            var (accepted, refusals) = (0, new List<string>());
            for (var i = 0; i < 15; i++)
            {
                try
                {
                    await flooder.CallAsync(room, "SendMessage", new { text = new string('x', 4000) });
                    accepted++;
                }
                catch (HubException e)
                {
                    refusals.Add(e.Message);
                }
            }
            return (accepted, refusals);
        }).ToList();
        for (var i = 0; i < 5; i++)
        {
            await alice.CallAsync(room, "SendMessage", new { text = $"still here {i}" });
        }
        var results = await Task.WhenAll(floods);
        var seconds = clock.Elapsed.TotalSeconds;

        // A burst of 10, then 5 a second, for the user, whatever the number of connections.
        var accepted = results.Sum(r => r.accepted);
        Assert.InRange(accepted, 10, 10 + (int)Math.Ceiling(seconds * 5));
        var refusals = results.SelectMany(r => r.refusals).ToList();
        Assert.Equal(60 - accepted, refusals.Count);
        Assert.All(refusals, r => Assert.Matches(
            @"\[rate-limited\] Too many ChatRoom\.SendMessage calls by mallory: at most 5 a second, 10 at once \(RateLimits:PerUser:ChatRoom\.SendMessage\)\. Retry in \d+(\.\d)? s\.$", r));
        var history = await alice.CallAsync(room, "GetMessages", new { afterSeq = 0, limit = 200 });
        Assert.Equal(accepted + 5, history.GetProperty("messages").GetArrayLength());
        Assert.Equal(refusals.Count, cluster.A.Services.GetRequiredService<LimitMetrics>().RefusedBy("RateLimits:PerUser:ChatRoom.SendMessage"));

        // After the wait it names, the flooder may send again.
        var wait = double.Parse(System.Text.RegularExpressions.Regex.Match(refusals[^1], @"Retry in ([\d.]+) s\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // The wait is what is tested: the named time (plus the buckets' 100 ms refill step), then the send must go through.
        await Task.Delay(TimeSpan.FromSeconds(wait + 0.3));
        await flooders[0].CallAsync(room, "SendMessage", new { text = "patient now" });
        foreach (var flooder in flooders)
        {
            await flooder.DisposeAsync();
        }
    }

    [Fact]
    public async Task CallsPastTheConnectionLimit_AreRefused_AndTheUsersOtherConnectionIsServed()
    {
        await using var cluster = await ClusterFixture.StartAsync(On, "RateLimits:PerConnection:PerSecond=1", "RateLimits:PerConnection:Burst=5");
        await using var busy = await TestClient.ConnectAsync(cluster.A, "carol");
        await using var other = await TestClient.ConnectAsync(cluster.A, "carol");

        var refusals = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await busy.CallAsync("ChatRoom-calls", "ListMembers");
            }
            catch (HubException e)
            {
                refusals.Add(e.Message);
            }
        }

        Assert.InRange(refusals.Count, 3, 5);
        Assert.All(refusals, r => Assert.Contains(
            "[rate-limited] Too many calls on this connection: at most 1 a second, 5 at once (RateLimits:PerConnection). Retry in", r));
        await other.CallAsync("ChatRoom-calls", "ListMembers");
    }

    [Fact]
    public async Task AConnectionThatKeepsCallingPastItsLimits_IsClosedWithTheReason()
    {
        await using var cluster = await ClusterFixture.StartAsync(On, "RateLimits:PerConnection:PerSecond=0.5", "RateLimits:PerConnection:Burst=2",
            "RateLimits:CloseAfterRefusals=5");
        await using var rude = await TestClient.ConnectAsync(cluster.A, "rude");
        await using var polite = await TestClient.ConnectAsync(cluster.A, "rude");

        for (var i = 0; i < 7 && !rude.Closed.IsCompleted; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await rude.CallAsync("ChatRoom-rude", "ListMembers");
                await rude.CallAsync("ChatRoom-rude", "ListMembers");
                await rude.CallAsync("ChatRoom-rude", "ListMembers");
            });
        }

        var closed = await rude.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("[rate-limited] This connection kept calling past its rate limits (5 refusals in a row, RateLimits:CloseAfterRefusals) and was closed", closed?.Message);
        await polite.CallAsync("ChatRoom-rude", "ListMembers");
        Assert.Equal(1, cluster.A.Services.GetRequiredService<LimitMetrics>().RefusedBy("RateLimits:CloseAfterRefusals"));
    }

    [Fact]
    public async Task NewConnectionsPastTheUserLimit_Get429WithRetryAfter_AndOtherUsersConnect()
    {
        await using var cluster = await ClusterFixture.StartAsync(On, "RateLimits:ConnectionsPerUser:PerSecond=0.1", "RateLimits:ConnectionsPerUser:Burst=3");
        var clients = new List<TestClient>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await TestClient.ConnectAsync(cluster.A, "dave"));
        }

        // The official client reports the status; the body says why and when to retry.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => TestClient.ConnectAsync(cluster.A, "dave"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var response = await HubHttp.NegotiateAsync(cluster.A.Url, await TestClient.LoginAsync(cluster.A.Url, "dave"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.StartsWith("[rate-limited] Too many new connections", await response.Content.ReadAsStringAsync());

        await using var erin = await TestClient.ConnectAsync(cluster.A, "erin");
        await clients[0].CallAsync("ChatRoom-conn", "ListMembers");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task NewConnectionsPastTheAddressLimit_Get429_EvenWithoutAToken()
    {
        await using var cluster = await ClusterFixture.StartAsync(On, "RateLimits:ConnectionsPerAddress:PerSecond=0.1", "RateLimits:ConnectionsPerAddress:Burst=5");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await HubHttp.NegotiateAsync(cluster.A.Url, token: null)).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        // The other instance keeps its own count.
        Assert.Equal(HttpStatusCode.Unauthorized, (await HubHttp.NegotiateAsync(cluster.B.Url, token: null)).StatusCode);
    }
}
