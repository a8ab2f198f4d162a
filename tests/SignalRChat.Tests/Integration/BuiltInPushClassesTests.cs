using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Load.Crowd;
using SignalRChat.Objects.Notices;
using SignalRChat.Push;
using SignalRChat.Push.Internal;
using SignalRChat.Tests.Infrastructure;
using StackExchange.Redis;

namespace SignalRChat.Tests.Integration;

/// <summary>
/// Every push of the built-in objects travels in the class the README's table gives it: read off the backplane
/// messages in Redis while two users go through rooms, direct messages, presence, zones, guilds, parties, system
/// messages and an announcement. A push given the wrong class here would still arrive, so only this test sees it.
/// </summary>
public sealed class BuiltInPushClassesTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly Dictionary<string, PushPriority> Documented = new()
    {
        ["Announcement"] = PushPriority.System,
        ["SystemMessage"] = PushPriority.System,
        ["Delivered"] = PushPriority.System,
        ["Kicked"] = PushPriority.System,
        ["Muted"] = PushPriority.System,
        ["GuildChanged"] = PushPriority.System,
        ["PartyChanged"] = PushPriority.System,
        ["NewMessage"] = PushPriority.Chat,
        ["DirectMessage"] = PushPriority.Chat,
        ["NearbyMessage"] = PushPriority.Chat,
        ["MemberJoined"] = PushPriority.Chat,
        ["GuildInvite"] = PushPriority.Chat,
        ["PartyInvite"] = PushPriority.Chat,
        ["PresenceChanged"] = PushPriority.Presence,
        ["ZonePresence"] = PushPriority.Presence,
        ["Typing"] = PushPriority.Presence,
        ["ReadUpTo"] = PushPriority.Presence,
    };

    [Fact]
    public async Task EachBuiltInPush_TravelsInItsDocumentedClass()
    {
        var seen = new ConcurrentDictionary<string, ConcurrentDictionary<PushPriority, bool>>();
        var subscriber = cluster.Redis.Admin.GetSubscriber();
        var channels = RedisChannel.Pattern("signalrchat:*");
        await subscriber.SubscribeAsync(channels, (channel, value) => Record(channel, value, seen));
        try
        {
            var id = Guid.NewGuid().ToString("N")[..8];
            var (alice, bob) = ($"cls-alice-{id}", $"cls-bob-{id}");
            // Each user on both instances: a push to a user's connections crosses Redis, wherever the object runs.
            await using var aliceOnA = await TestClient.ConnectAsync(cluster.A, alice);
            await using var aliceOnB = await TestClient.ConnectAsync(cluster.B, alice, Protocol.MessagePack);
            await using var bobOnA = await TestClient.ConnectAsync(cluster.A, bob);
            await using var bobOnB = await TestClient.ConnectAsync(cluster.B, bob, Protocol.MessagePack);

            var room = $"ChatRoom-cls-{id}";
            await aliceOnA.CreateAsync("ChatRoom", room);
            foreach (var member in new[] { aliceOnA, aliceOnB, bobOnA, bobOnB })
            {
                await member.CallAsync(room, "Join");
            }
            var sent = await aliceOnA.CallAsync(room, "SendMessage", new { text = "hello" });
            await bobOnB.CallAsync(room, "Typing");
            await bobOnB.CallAsync(room, "MarkRead", new { seq = sent.GetProperty("seq").GetInt64() });
            await aliceOnA.CallAsync(room, "Mute", new { user = bob, minutes = 1 });
            await aliceOnA.CallAsync(room, "Kick", new { user = bob });

            var direct = await aliceOnA.CallAsync($"Player-{alice}", "SendDirect", new { to = bob, text = "psst" });
            await bobOnB.CallAsync($"Player-{bob}", "Ack", new { ids = new[] { direct.GetProperty("id").GetString() } });

            await bobOnA.CallAsync($"Player-{bob}", "Follow", new { users = new[] { alice } });
            await aliceOnA.CallAsync($"Player-{alice}", "SetStatus", new { status = "busy" });

            var zone = $"Zone-cls-{id}";
            await aliceOnA.CallAsync(zone, "Enter", new { x = 0.0, y = 0.0 });
            await bobOnB.CallAsync(zone, "Enter", new { x = 1.0, y = 1.0 });
            await aliceOnA.CallAsync(zone, "SayNearby", new { text = "over here", radius = 10.0 });

            var guild = $"Guild-cls-{id}";
            await aliceOnA.CreateAsync("Guild", guild, new { name = "Classes" });
            await aliceOnA.CallAsync(guild, "Invite", new { user = bob });
            await bobOnB.CallAsync(guild, "AcceptInvite");
            await aliceOnA.CallAsync(guild, "Kick", new { user = bob });

            var party = $"Party-cls-{id}";
            await aliceOnA.CreateAsync("Party", party);
            await aliceOnA.CallAsync(party, "Invite", new { user = bob });
            await bobOnB.CallAsync(party, "Accept");
            await aliceOnA.CallAsync(party, "Kick", new { user = bob });

            var grains = cluster.A.Services.GetRequiredService<IGrainFactory>();
            await SystemMessages.SendAsync(grains, bob, "test.classes", "a system message");
            await Announcements.SendAsync(grains, "an announcement");

            try
            {
                await Eventually.TrueAsync(() => Documented.Keys.All(seen.ContainsKey), "a push of each documented method");
            }
            catch (TimeoutException)
            {
                // Named below.
            }
            Assert.Equal([], Documented.Keys.Where(method => !seen.ContainsKey(method)).ToArray());
            Assert.All(Documented, expected => Assert.Equal(new[] { expected.Value }, seen[expected.Key].Keys.Order().ToArray()));
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channels);
        }
    }

    /// <summary>Notes the class of every invocation in a backplane message; other traffic on the channels is skipped.</summary>
    private static void Record(RedisChannel channel, RedisValue value, ConcurrentDictionary<string, ConcurrentDictionary<PushPriority, bool>> seen)
    {
        // The backplane's channels: {prefix}:{hub}:all and {prefix}:{hub}:instance:{id}.
        var name = channel.ToString();
        if (!name.EndsWith(":all", StringComparison.Ordinal) && !name.Contains(":instance:", StringComparison.Ordinal))
        {
            return;
        }
        IReadOnlyList<BackplaneItem> items;
        try
        {
            items = BackplaneMessage.Decode((byte[])value!).Items;
        }
        catch (FormatException)
        {
            return;
        }
        foreach (var item in items)
        {
            if (item.Messages.Count > 0 && Target(item.Messages[0]) is { } target)
            {
                seen.GetOrAdd(target, _ => new()).TryAdd(item.Priority, true);
            }
        }
    }

    /// <summary>The invoked method of a serialized invocation, read with the benchmark client's framing of either protocol.</summary>
    private static string? Target(Microsoft.AspNetCore.SignalR.SerializedMessage message)
    {
        var frames = HubFrames.For(messagePack: message.ProtocolName == "messagepack");
        if (frames.NextRecord(message.Serialized.Span, out var body) == 0)
        {
            return null;
        }
        var sink = new TargetSink();
        return frames.Read(message.Serialized[body], sink) == HubFrames.InvocationType ? sink.Target : null;
    }

    private sealed class TargetSink : IInvocationSink
    {
        public string? Target { get; private set; }

        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments) => Target = System.Text.Encoding.UTF8.GetString(target);
    }
}
