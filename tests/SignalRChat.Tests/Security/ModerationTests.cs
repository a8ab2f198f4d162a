using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Security;

/// <summary>Room owners, moderators and administrators kick, mute and ban, and keep private rooms, across instances.</summary>
public sealed class ModerationTests
{
    private static readonly string[] Events = ["Kicked", "Muted", "MemberLeft"];

    [Fact]
    public async Task TheOwner_KicksMutesAndBans_AcrossInstances_AndBansSurviveARestartOfEveryInstance()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        const string room = "ChatRoom-moderated";
        await using (var alice = await TestClient.ConnectAsync(cluster.A, "alice", listenTo: Events))
        await using (var bob = await TestClient.ConnectAsync(cluster.B, "bob", listenTo: Events))
        {
            await alice.CreateAsync("ChatRoom", room, new { title = "Moderated" });
            await alice.CallAsync(room, "Join");
            await bob.CallAsync(room, "Join");

            // Kick: bob is told why and is out, and may come back.
            await alice.CallAsync(room, "Kick", new { user = "bob", reason = "calm down" });
            var kicked = await bob.NextAsync("Kicked");
            Assert.Equal(room, kicked.GetProperty("room").GetString());
            Assert.Equal("alice", kicked.GetProperty("by").GetString());
            Assert.Equal("calm down", kicked.GetProperty("reason").GetString());
            Assert.Equal(["alice"], (await alice.CallAsync(room, "ListMembers")).EnumerateArray().Select(m => m.GetString()));
            await Refused(bob, room, "SendMessage", new { text = "back?" }, $"Join {room} before sending messages to it.");
            await bob.CallAsync(room, "Join");

            // Mute: no sending, no typing, until unmuted.
            await alice.CallAsync(room, "Mute", new { user = "bob", minutes = 5 });
            Assert.True((await bob.NextAsync("Muted")).GetProperty("until").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await Refused(bob, room, "SendMessage", new { text = "hello?" }, $"You are muted in {room} until ");
            await Refused(bob, room, "Typing", null, $"You are muted in {room} until ");
            await alice.CallAsync(room, "Unmute", new { user = "bob" });
            await bob.CallAsync(room, "SendMessage", new { text = "thanks" });

            // Ban: out, and refused until unbanned.
            await alice.CallAsync(room, "Ban", new { user = "bob", reason = "spam" });
            Assert.Equal(System.Text.Json.JsonValueKind.Number, (await bob.NextAsync("Kicked", k => k.GetProperty("reason").GetString() == "spam", "the ban")).GetProperty("bannedUntil").ValueKind);
            await Refused(bob, room, "Join", null, $"You are banned from {room}.");
        }

        await cluster.RestartInstancesAsync();

        await using var bobAgain = await TestClient.ConnectAsync(cluster.A, "bob");
        await Refused(bobAgain, room, "Join", null, $"You are banned from {room}.");
        await using var owner = await TestClient.ConnectAsync(cluster.B, "alice");
        var moderation = await owner.CallAsync(room, "GetModeration");
        Assert.Equal("alice", moderation.GetProperty("owner").GetString());
        Assert.True(moderation.GetProperty("bans").TryGetProperty("bob", out var until) && until.ValueKind == System.Text.Json.JsonValueKind.Null);
        await owner.CallAsync(room, "Unban", new { user = "bob" });
        await bobAgain.CallAsync(room, "Join");
    }

    [Fact]
    public async Task OnlyModeratorsOwnersAndAdministrators_Moderate_AndNeverTheirBetters()
    {
        await using var cluster = await ClusterFixture.StartAsync("Auth:DevelopmentAdmins=root");
        const string room = "ChatRoom-ranks";
        await using var alice = await TestClient.ConnectAsync(cluster.A, "alice");
        await using var dave = await TestClient.ConnectAsync(cluster.B, "dave");
        await using var carol = await TestClient.ConnectAsync(cluster.B, "carol");
        await using var root = await TestClient.ConnectAsync(cluster.A, "root");
        await alice.CreateAsync("ChatRoom", room);
        foreach (var client in new[] { alice, dave, carol })
        {
            await client.CallAsync(room, "Join");
        }

        await Refused(carol, room, "Kick", new { user = "dave" }, $"Only moderators of {room}, its owner and administrators can kick.");
        await Refused(dave, room, "SetModerator", new { user = "dave", moderator = true }, $"Only the owner of {room} and administrators can name moderators.");
        await alice.CallAsync(room, "SetModerator", new { user = "dave", moderator = true });
        await Refused(dave, room, "Kick", new { user = "alice" }, $"You cannot kick alice in {room}: they moderate it too.");
        await Refused(dave, room, "Kick", new { user = "dave" }, $"You cannot kick yourself in {room}.");
        await Refused(dave, room, "Mute", new { user = "carol", minutes = 0 }, "minutes must be between 1 and 43200; it was 0.");
        await dave.CallAsync(room, "Mute", new { user = "carol", minutes = 1 });
        await Refused(dave, room, "Ban", new { user = "bad name!" }, "user may hold only letters, digits, '_', '-' and '.' (ASCII).");
        // An administrator moderates any room, its owner included.
        await root.CallAsync(room, "Kick", new { user = "alice", reason = "admin says" });
        Assert.Equal(["carol", "dave"], (await dave.CallAsync(room, "ListMembers")).EnumerateArray().Select(m => m.GetString()));
        // An owner cannot lock an administrator out.
        await alice.CallAsync(room, "Ban", new { user = "root" });
        await root.CallAsync(room, "Join");
    }

    [Fact]
    public async Task APrivateRoom_AdmitsOnlyItsMemberList_AndDisallowingRemovesAMember()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        const string room = "ChatRoom-private";
        await using var alice = await TestClient.ConnectAsync(cluster.A, "alice");
        await using var bob = await TestClient.ConnectAsync(cluster.B, "bob", listenTo: Events);
        await alice.CreateAsync("ChatRoom", room, new { title = "Secret", @private = true });
        await alice.CallAsync(room, "Join");

        await Refused(bob, room, "Join", null, $"{room} is private: only its members may join; ask its owner or a moderator to add you.");
        await alice.CallAsync(room, "Allow", new { users = new[] { "bob" } });
        await bob.CallAsync(room, "Join");
        await alice.CallAsync(room, "Disallow", new { users = new[] { "bob" } });

        Assert.Equal("removed from the member list", (await bob.NextAsync("Kicked")).GetProperty("reason").GetString());
        await Refused(bob, room, "Join", null, $"{room} is private");
        await alice.CallAsync(room, "SetPrivate", new { @private = false });
        await bob.CallAsync(room, "Join");
    }

    private static async Task Refused(TestClient client, string room, string method, object? args, string expected)
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => client.CallAsync(room, method, args));
        Assert.Contains(expected, refused.Message);
    }
}
