using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>A Redis restart under two instances: every instance lost its subscription, so each tells its clients to
/// resync once subscribed again, and pushes work again without anyone reconnecting.</summary>
public sealed class RedisRestartTests
{
    [Fact]
    public async Task AfterARedisRestart_EveryInstanceTellsItsClientsToResync_AndPushesFlowAgain()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        const string room = "ChatRoom-redis-restart";
        await using var ann = await TestClient.ConnectAsync(cluster.A, "rr-ann", listenTo: ["Resync"]);
        await using var bob = await TestClient.ConnectAsync(cluster.B, "rr-bob", Protocol.MessagePack, listenTo: ["Resync"]);
        await ann.CallAsync(room, "Join");
        await bob.CallAsync(room, "Join");
        await ann.CallAsync(room, "SendMessage", new { text = "before" });
        Assert.Equal("before", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());

        await cluster.Redis.RestartAsync();

        await ann.NextAsync("Resync", TimeSpan.FromSeconds(30));
        await bob.NextAsync("Resync", TimeSpan.FromSeconds(30));
        // The clients' connections lived through it: the same connection sends and receives, and the history is whole.
        var sent = await SendWhenStorageIsBackAsync(ann, room, "after");
        var received = await bob.NextAsync("NewMessage");
        Assert.Equal("after", received.GetProperty("text").GetString());
        Assert.Equal(sent.GetProperty("seq").GetInt64(), received.GetProperty("seq").GetInt64());
        var page = await bob.CallAsync(room, "GetMessages", new { afterSeq = 0 });
        Assert.Equal(["before", "after"], page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task APushPublishedWhileTheTargetInstanceReSubscribes_IsTriedAgainAndArrives_AndItsClientsResync()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        const string room = "ChatRoom-resubscribe";
        await using var ann = await TestClient.ConnectAsync(cluster.A, "rs-ann");
        await using var bob = await TestClient.ConnectAsync(cluster.B, "rs-bob", listenTo: ["Resync"]);
        await ann.CallAsync(room, "Join");
        await bob.CallAsync(room, "Join");

        // Cut every subscription connection: until each instance subscribes again, nobody hears a publish to it.
        await cluster.Redis.AdminServer.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var sent = await ann.CallAsync(room, "SendMessage", new { text = "while re-subscribing" });

        var received = await bob.NextAsync("NewMessage");
        Assert.Equal(sent.GetProperty("seq").GetInt64(), received.GetProperty("seq").GetInt64());
        Assert.Contains("fetch what you may have missed", (await bob.NextAsync("Resync")).GetString());
    }

    /// <summary>Sends as our clients do: the same clientMessageId while the error is temporary.</summary>
    private static async Task<System.Text.Json.JsonElement> SendWhenStorageIsBackAsync(TestClient client, string room, string text)
    {
        System.Text.Json.JsonElement sent = default;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                sent = await client.CallAsync(room, "SendMessage", new { text, clientMessageId = "after-restart" });
                return true;
            }
            catch (HubException e) when (e.Message.Contains("[temporary] ", StringComparison.Ordinal))
            {
                return false;
            }
        }, "a send succeeding after the restart", TimeSpan.FromSeconds(30));
        return sent;
    }
}
