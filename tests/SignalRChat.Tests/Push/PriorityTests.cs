using Microsoft.AspNetCore.SignalR;
using SignalRChat.Push;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Push;

/// <summary>
/// The push classes across instances, through a plain hub and the public API (<see cref="PushPriorities"/>): Redis
/// writes are paused (<c>CLIENT PAUSE WRITE</c>) while the sender's outbox holds one publish under way, so what is sent
/// meanwhile queues behind it, and the order in which the receiving clients see it is the order the outbox chose (the
/// one send under way may still be overtaken by a system send in the receiving instance's own queue).
/// And on one instance, a client that stops reading: what queues on its connection is served by class too.
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
            await servers.FirstPublishHeldAsync();
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

        // The system sends overtake every chat queued behind chat 0. Chat 0 itself was under way: it comes first, or
        // after the system sends when it still waited in the receiving instance's queue as they arrived (they overtake
        // it there, as they should).
        string[] expected = ["system 0", "system 1", "system 2", .. Enumerable.Range(1, chats - 1).Select(i => $"chat {i}")];
        foreach (var client in new[] { onB, onC })
        {
            var received = await ReadAsync(client, expected.Length + 1);
            Assert.Equal(expected, received.Where(text => text != "chat 0"));
            Assert.True(Array.IndexOf(received, "chat 0") is var first and >= 0 && first < Array.IndexOf(received, "chat 1"), string.Join(", ", received.Take(6)));
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
            await servers.FirstPublishHeldAsync();
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
            await servers.FirstPublishHeldAsync();
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
            await Eventually.TrueAsync(async () => sender.Metrics.OutboxDepth == 0 && await redis.HasPausedWriteAsync(), "the first publish held in Redis");
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

    [Fact]
    public async Task AClientThatIsBehind_GetsTheSystemSendsMadeMeanwhile_BeforeTheChatQueuedForIt_AndOnlyItsNewestPresence()
    {
        await using var server = await BackplaneServer.StartAsync(redis: null, options =>
        {
            // Megabytes wait for the client; it reads again within a second or two (SignalR closes a connection whose
            // one write waits 10 s, HttpConnectionDispatcherOptions.TransportSendTimeout).
            options.SlowClientBufferBytes = 256 * 1024 * 1024;
            options.SlowClientTimeout = TimeSpan.FromMinutes(2);
        }, socketSendBufferBytes: 64 * 1024);
        await using var reader = await PausedReader.ConnectAsync(server, User);
        var padding = new string('x', 16_000);

        // Chat until the socket and pipes are full and a megabyte waits on the connection itself.
        var chats = 0;
        while (server.Metrics.BacklogBytes < 1024 * 1024)
        {
            Assert.True(chats < 2_000, "2,000 chat sends of 16 KB never filled the client's socket");
            await server.Hub.SendToUsersAsync([User], PushPriority.Chat, $"chat {chats++} {padding}");
        }
        var queued = server.Metrics.BacklogBytes / padding.Length;
        for (var k = 0; k < 20; k++)
        {
            await server.Hub.SendToUsersAsync([User], PushPriority.Presence, $"alice {k}", subject: "alice");
        }
        await server.Hub.SendToUsersAsync([User], PushPriority.Presence, "zone 1");
        await server.Hub.SendToUsersAsync([User], PushPriority.Presence, "zone 2");
        for (var i = 0; i < 3; i++)
        {
            await server.Hub.SendToUsersAsync([User], PushPriority.System, $"system {i}");
        }
        await Eventually.TrueAsync(() => server.Metrics.Coalesced == 19, "the 19 older presence states replaced");

        var received = await reader.ReadHellosAsync(chats + 3 + 3, TimeSpan.FromSeconds(60));

        var chatOrder = received.Where(text => text.StartsWith("chat ", StringComparison.Ordinal)).Select(text => int.Parse(text.Split(' ')[1])).ToList();
        Assert.Equal(Enumerable.Range(0, chats), chatOrder);
        Assert.Equal(["system 0", "system 1", "system 2"], received.Where(text => text.StartsWith("system", StringComparison.Ordinal)));
        // The system sends overtook (at least) the chat that was queued on the connection when they were made.
        var overtaken = received.Skip(received.IndexOf("system 2") + 1).Count(text => text.StartsWith("chat ", StringComparison.Ordinal));
        Assert.True(overtaken >= queued / 2, $"the system sends overtook {overtaken} chat sends; {queued} were queued on the connection");
        // Presence after all chat: of alice's 20 states only the newest (where the last was queued), and both zone deltas.
        Assert.Equal(["alice 19", "zone 1", "zone 2"], received.Skip(received.Count - 3));
        Assert.Equal(0, server.Metrics.BacklogBytes);
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

        /// <summary>Waits until A's first send left its outbox and its publish is held by the pause: what A sends
        /// from now on queues behind it.</summary>
        public Task FirstPublishHeldAsync() =>
            Eventually.TrueAsync(async () => A.Metrics.OutboxDepth == 0 && await Redis.HasPausedWriteAsync(), "the first publish held in Redis");

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
