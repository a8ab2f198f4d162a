using Microsoft.AspNetCore.SignalR;
using SignalRChat.Push;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Push;

/// <summary>
/// The push classes across instances, through a plain hub and the public API (<see cref="PushPriorities"/>): Redis
/// writes are paused (<c>CLIENT PAUSE WRITE</c>) while the sender's outbox holds one publish under way, so what is sent
/// meanwhile queues behind it, and the order in which the receiving clients see it is the order the outbox chose.
/// </summary>
public sealed class PriorityTests(PriorityTests.ThreeServers servers) : IClassFixture<PriorityTests.ThreeServers>
{
    private const string User = "player";

    [Fact]
    public async Task ASystemSend_MadeBehindQueuedChat_ArrivesBeforeThatChat_OnEveryInstance_AndEachClassKeepsItsOrder()
    {
        const int chats = 500;
        await using var onB = await PlainClient.ConnectAsync(servers.B, User);
        await using var onC = await PlainClient.ConnectAsync(servers.C, User, Protocol.MessagePack);
        await servers.WarmUpAsync(onB, onC);

        await using (await servers.PauseRedisWritesAsync())
        {
            // The first send leaves the queue and waits in a publish; the rest queue behind it.
            await servers.SendAsync(PushPriority.Chat, "chat 0");
            await Eventually.TrueAsync(() => servers.A.Metrics.OutboxDepth == 0, "the first publish under way");
            for (var i = 1; i < chats; i++)
            {
                await servers.SendAsync(PushPriority.Chat, $"chat {i}");
            }
            for (var i = 0; i < 3; i++)
            {
                await servers.SendAsync(PushPriority.System, $"system {i}");
            }
            Assert.Equal(chats + 2, servers.A.Metrics.OutboxDepth);
        }

        string[] expected = ["chat 0", "system 0", "system 1", "system 2", .. Enumerable.Range(1, chats - 1).Select(i => $"chat {i}")];
        foreach (var client in new[] { onB, onC })
        {
            Assert.Equal(expected, await ReadAsync(client, expected.Length));
        }
    }

    [Fact]
    public async Task PresenceQueuedBehindOtherSends_IsCoalescedToTheNewestStatePerSubject_AndServedAfterChat()
    {
        const int subjects = 5;
        const int updates = 40;
        await using var onB = await PlainClient.ConnectAsync(servers.B, User);
        await using var onC = await PlainClient.ConnectAsync(servers.C, User, Protocol.MessagePack);
        await servers.WarmUpAsync(onB, onC);
        var coalesced = servers.A.Metrics.Coalesced;

        await using (await servers.PauseRedisWritesAsync())
        {
            await servers.SendAsync(PushPriority.Chat, "chat 0");
            await Eventually.TrueAsync(() => servers.A.Metrics.OutboxDepth == 0, "the first publish under way");
            for (var k = 0; k < updates; k++)
            {
                for (var s = 0; s < subjects; s++)
                {
                    await servers.SendAsync(PushPriority.Presence, $"presence s{s} {k}", subject: $"s{s}");
                }
            }
            await servers.SendAsync(PushPriority.Chat, "chat 1");
            Assert.Equal(subjects + 1, servers.A.Metrics.OutboxDepth);
        }

        // Chat before presence; of each subject's 40 states only the newest is left.
        string[] expected = ["chat 0", "chat 1", .. Enumerable.Range(0, subjects).Select(s => $"presence s{s} {updates - 1}")];
        foreach (var client in new[] { onB, onC })
        {
            Assert.Equal(expected, await ReadAsync(client, expected.Length));
        }
        Assert.Equal(subjects * (updates - 1), servers.A.Metrics.Coalesced - coalesced);
        // Nothing else follows: a sentinel sent now is the next message.
        await servers.SendAsync(PushPriority.Chat, "sentinel");
        Assert.Equal("sentinel", await onB.NextAsync());
        Assert.Equal("sentinel", await onC.NextAsync());
    }

    [Fact]
    public async Task PresenceWithoutASubject_OrToOtherRecipients_IsNeverReplaced()
    {
        await using var onB = await PlainClient.ConnectAsync(servers.B, User);
        await using var other = await PlainClient.ConnectAsync(servers.B, "other");
        await servers.WarmUpAsync(onB);

        await using (await servers.PauseRedisWritesAsync())
        {
            await servers.SendAsync(PushPriority.Chat, "chat 0");
            await Eventually.TrueAsync(() => servers.A.Metrics.OutboxDepth == 0, "the first publish under way");
            await servers.SendAsync(PushPriority.Presence, "zone 1");
            await servers.SendAsync(PushPriority.Presence, "zone 2");
            await servers.SendAsync(PushPriority.Presence, "alice online", subject: "alice");
            await servers.A.Hub.SendToUsersAsync(["player", "other"], PushPriority.Presence, "alice away", subject: "alice");
        }

        Assert.Equal(["chat 0", "zone 1", "zone 2", "alice online", "alice away"], await ReadAsync(onB, 5));
        Assert.Equal("alice away", await other.NextAsync());
    }

    [Fact]
    public async Task WithPrioritiesOff_EverySendKeepsTheOrderItWasMadeIn()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sender = await BackplaneServer.StartAsync(redis.ConnectionString, options => options.Priorities = false);
        await using var holder = await BackplaneServer.StartAsync(redis.ConnectionString, options => options.Priorities = false);
        await using var client = await PlainClient.ConnectAsync(holder, User);
        await sender.Hub.SendToUsersAsync([User], PushPriority.Chat, "warm");
        Assert.Equal("warm", await client.NextAsync());

        await redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "4000", "WRITE");
        try
        {
            await sender.Hub.SendToUsersAsync([User], PushPriority.Chat, "chat 0");
            await Eventually.TrueAsync(() => sender.Metrics.OutboxDepth == 0, "the first publish under way");
            await sender.Hub.SendToUsersAsync([User], PushPriority.Presence, "alice online", subject: "alice");
            await sender.Hub.SendToUsersAsync([User], PushPriority.Chat, "chat 1");
            await sender.Hub.SendToUsersAsync([User], PushPriority.Presence, "alice away", subject: "alice");
            await sender.Hub.SendToUsersAsync([User], PushPriority.System, "system");
        }
        finally
        {
            await redis.AdminServer.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        Assert.Equal(["chat 0", "alice online", "chat 1", "alice away", "system"], await ReadAsync(client, 5));
    }

    private static async Task<string[]> ReadAsync(PlainClient client, int count)
    {
        var received = new string[count];
        for (var i = 0; i < count; i++)
        {
            received[i] = await client.NextAsync();
        }
        return received;
    }

    /// <summary>A Redis and three instances of a plain hub app: sends are made on A, clients connect to B and C.</summary>
    public sealed class ThreeServers : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public BackplaneServer A { get; private set; } = null!;

        public BackplaneServer B { get; private set; } = null!;

        public BackplaneServer C { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartAsync();
            A = await BackplaneServer.StartAsync(Redis.ConnectionString);
            B = await BackplaneServer.StartAsync(Redis.ConnectionString);
            C = await BackplaneServer.StartAsync(Redis.ConnectionString);
        }

        public Task SendAsync(PushPriority priority, string text, string? subject = null) =>
            A.Hub.SendToUsersAsync([User], priority, text, subject);

        /// <summary>Waits until a send from A reaches every client: both instances have subscribed, A's outbox is idle.</summary>
        public async Task WarmUpAsync(params PlainClient[] clients)
        {
            await SendAsync(PushPriority.Chat, "warm");
            foreach (var client in clients)
            {
                Assert.Equal("warm", await client.NextAsync());
            }
        }

        /// <summary>Pauses every Redis client's writes (publishes included) until the returned scope is disposed, 5 s at most.</summary>
        public async Task<IAsyncDisposable> PauseRedisWritesAsync()
        {
            // Under 5 s: the publish that waits must not time out in the client.
            await Redis.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "4000", "WRITE");
            return new Unpause(Redis);
        }

        public async Task DisposeAsync()
        {
            foreach (var server in new[] { C, B, A })
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }
            if (Redis is not null)
            {
                await Redis.DisposeAsync();
            }
        }

        private sealed class Unpause(RedisServer redis) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync() => await redis.AdminServer.ExecuteAsync("CLIENT", "UNPAUSE");
        }
    }
}

/// <summary>Sends in a class, as an application would.</summary>
internal static class PrioritySends
{
    public static async Task SendToUsersAsync(this IHubContext<ConformanceHub> hub, IReadOnlyList<string> users, PushPriority priority, string text, string? subject = null)
    {
        using (PushPriorities.Use(priority, subject))
        {
            await hub.Clients.Users(users).SendAsync("Hello", text);
        }
    }
}
