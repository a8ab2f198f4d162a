using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>
/// The objects' push API (<see cref="IClientPush"/>) carries its class into the product's hub: with Redis writes
/// paused behind one publish under way, what an object pushes meanwhile reaches a client on the other instance by
/// class, over MessagePack.
/// </summary>
public sealed class ObjectPushPriorityTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AnAnnouncementOvertakesQueuedMessages_AndFollowersGetTheNewestPresenceOnly()
    {
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        var fan = $"fan{Guid.NewGuid():N}"[..16];
        var token = await TestClient.LoginAsync(cluster.B.Url, fan);
        await using var connection = new HubConnectionBuilder()
            .WithUrl($"{cluster.B.Url}/hub", options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        // One log for every method, so that the order across them shows.
        var received = new ConcurrentQueue<string>();
        connection.On<Dictionary<string, object?>>("NewMessage", m => received.Enqueue($"message {m["text"]}"));
        connection.On<Dictionary<string, object?>>("Announcement", a => received.Enqueue($"announcement {a["text"]}"));
        connection.On<Dictionary<string, object?>>("PresenceChanged", p =>
        {
            // The client's own presence comes too, whenever its player turns online: only alice's is under test.
            if (p["user"] as string == "alice")
            {
                received.Enqueue($"presence alice {p["status"]}");
            }
        });
        // Registered comes once the instance holds the connection (and reads the backplane): pushes reach it from then on.
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<object?>("Registered", _ => registered.TrySetResult());
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await registered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await push.PushToUsersAsync([fan], "NewMessage", new { text = "warm" });
        await Eventually.TrueAsync(() => received.Contains("message warm"), "the warm-up message");
        received.Clear();

        await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "4000", "WRITE");
        try
        {
            await push.PushToUsersAsync([fan], "NewMessage", new { text = "0" });
            await Eventually.TrueAsync(async () => cluster.A.Metrics.OutboxDepth == 0 && await cluster.Redis.HasPausedWriteAsync(), "the first publish held in Redis");
            for (var i = 1; i <= 100; i++)
            {
                await push.PushToUsersAsync([fan], "NewMessage", new { text = $"{i}" });
            }
            foreach (var status in new[] { "online", "away", "busy" })
            {
                await push.PushToUsersAsync([fan], "PresenceChanged", new { user = "alice", status }, PushPriority.Presence, subject: "alice");
            }
            await push.PushToAllAsync("Announcement", new { text = "restart" }, PushPriority.System);
        }
        finally
        {
            await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        // Message 0 was under way: it comes first, or after the announcement when it still waited in B's queue as the
        // announcement arrived (which overtakes it there, as it should).
        string[] expected = ["announcement restart", .. Enumerable.Range(1, 100).Select(i => $"message {i}"), "presence alice busy"];
        await Eventually.TrueAsync(() => received.Count >= expected.Length + 1, $"{expected.Length + 1} pushes");
        var log = received.ToArray();
        Assert.Equal(expected, log.Where(text => text != "message 0"));
        Assert.True(Array.IndexOf(log, "message 0") is var first and >= 0 && first < Array.IndexOf(log, "message 1"), string.Join(", ", log.Take(4)));
    }
}
