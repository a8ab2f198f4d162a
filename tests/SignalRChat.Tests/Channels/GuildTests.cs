using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Channels;

/// <summary>Guilds over two instances: membership by user with roles and invites, and messages that reach every
/// connection of every member.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GuildTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AnInvitedMemberReceivesTheGuildsMessages_OnEveryConnection_IncludingOnesOpenedLater()
    {
        const string guild = "Guild-wolves";
        await using var owner = await TestClient.ConnectAsync(cluster.A, "wolf-owner");
        await using var invitee = await TestClient.ConnectAsync(cluster.B, "wolf-cub", Protocol.MessagePack);
        invitee.Listen("GuildInvite");
        var created = await owner.CreateAsync("Guild", guild, new { name = "The Wolves" });
        Assert.Equal([("wolf-owner", "owner")], Members(created));

        await owner.CallAsync(guild, "Invite", new { user = "wolf-cub" });
        var invite = await invitee.NextAsync("GuildInvite");
        Assert.Equal(guild, invite.GetProperty("guild").GetString());
        Assert.Equal("The Wolves", invite.GetProperty("name").GetString());
        Assert.Equal("wolf-owner", invite.GetProperty("from").GetString());
        var joined = await invitee.CallAsync(guild, "AcceptInvite");
        Assert.Equal([("wolf-owner", "owner"), ("wolf-cub", "member")], Members(joined));

        // A connection opened after joining, on the other instance, calls nothing and still receives.
        await using var later = await TestClient.ConnectAsync(cluster.A, "wolf-cub");
        var sent = await owner.CallAsync(guild, "SendMessage", new { text = "hunt at dawn" });

        foreach (var connection in new[] { invitee, later })
        {
            var message = await connection.NextAsync("NewMessage");
            Assert.Equal(guild, message.GetProperty("room").GetString());
            Assert.Equal(sent.GetProperty("seq").GetInt64(), message.GetProperty("seq").GetInt64());
            Assert.Equal("hunt at dawn", message.GetProperty("text").GetString());
        }
        var page = await later.CallAsync(guild, "GetMessages", new { afterSeq = 0 });
        Assert.Equal(["hunt at dawn"], page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        later.Listen("Typing");
        await owner.CallAsync(guild, "Typing");
        var typing = await later.NextAsync("Typing");
        Assert.Equal(guild, typing.GetProperty("room").GetString());
        Assert.Equal("wolf-owner", typing.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Roles_DecideWhoInvitesKicksAndSetsRoles_AndTheOwnerHandsOverBeforeLeaving()
    {
        const string guild = "Guild-ranks";
        await using var owner = await TestClient.ConnectAsync(cluster.A, "rank-owner");
        await using var officer = await TestClient.ConnectAsync(cluster.B, "rank-officer");
        await using var member = await TestClient.ConnectAsync(cluster.A, "rank-member");
        await owner.CreateAsync("Guild", guild, new { name = "Ranks" });
        await JoinAsync(owner, officer, guild);
        await JoinAsync(owner, member, guild);
        member.Listen("GuildChanged");

        await Refused(member, guild, "Invite", new { user = "rank-guest" }, "Only officers and the owner of Guild-ranks can invite.");
        await Refused(officer, guild, "SetRole", new { user = "rank-member", role = "officer" }, "Only the owner of Guild-ranks can set roles.");
        await owner.CallAsync(guild, "SetRole", new { user = "rank-officer", role = "officer" });
        var change = await member.NextAsync("GuildChanged", c => c.GetProperty("change").GetString() == "role", "the role change");
        Assert.Equal("rank-officer", change.GetProperty("user").GetString());
        Assert.Equal("officer", change.GetProperty("role").GetString());

        await officer.CallAsync(guild, "Invite", new { user = "rank-guest" });
        await Refused(officer, guild, "Kick", new { user = "rank-owner" }, "Officers of Guild-ranks can kick only members.");
        await Refused(owner, guild, "Leave", null, "Hand Guild-ranks to another member first: SetRole {user, role: \"owner\"}.");

        await owner.CallAsync(guild, "SetRole", new { user = "rank-officer", role = "owner" });
        await owner.CallAsync(guild, "Leave");
        await officer.CallAsync(guild, "Kick", new { user = "rank-member" });

        var kicked = await member.NextAsync("GuildChanged", c => c.GetProperty("change").GetString() == "kicked", "the kick");
        Assert.Equal("rank-member", kicked.GetProperty("user").GetString());
        Assert.Equal([("rank-officer", "owner")], Members(await officer.CallAsync(guild, "GetInfo")));
        await Refused(member, guild, "SendMessage", new { text = "let me in" }, "Only members of Guild-ranks can send messages.");
        await Refused(owner, guild, "GetMessages", new { afterSeq = 0 }, "Only members of Guild-ranks can read messages.");
    }

    [Fact]
    public async Task Invites_OnlyTheInvitedUserAccepts_AndADeclinedInviteIsGone()
    {
        const string guild = "Guild-invites";
        await using var owner = await TestClient.ConnectAsync(cluster.A, "inv-owner");
        await using var invited = await TestClient.ConnectAsync(cluster.B, "inv-yes");
        await using var stranger = await TestClient.ConnectAsync(cluster.B, "inv-no");
        await owner.CreateAsync("Guild", guild, new { name = "Invites" });
        await owner.CallAsync(guild, "Invite", new { user = "inv-yes" });

        await Refused(stranger, guild, "AcceptInvite", null, "You have no invite to Guild-invites.");
        await invited.CallAsync(guild, "DeclineInvite");
        await Refused(invited, guild, "AcceptInvite", null, "You have no invite to Guild-invites.");
        await Refused(owner, guild, "Invite", new { user = "inv-owner" }, "inv-owner is already a member of Guild-invites.");
        await Refused(owner, guild, "Invite", new { user = "bad name!" }, "user may hold only letters, digits, '_', '-' and '.' (ASCII).");
        await Refused(owner, guild, "SetRole", new { user = "inv-owner", role = "king" }, "role must be one of owner, officer, member; it was 'king'.");
        var error = await Assert.ThrowsAsync<HubException>(() => stranger.CreateAsync("Guild", guild, new { name = "Mine now" }));
        Assert.Contains("Guild-invites already exists.", error.Message);
        await Refused(stranger, "Guild-nowhere", "AcceptInvite", null, "Guild-nowhere does not exist");
        Assert.Equal([("inv-owner", "owner")], Members(await owner.CallAsync(guild, "GetInfo")));
    }

    [Fact]
    public async Task TheLastMemberLeaving_EndsTheGuild_AndAGuildMadeAgainUnderItsIdStartsWithNoHistory()
    {
        const string guild = "Guild-phoenix";
        await using var founder = await TestClient.ConnectAsync(cluster.A, "phoenix");
        await founder.CreateAsync("Guild", guild, new { name = "Phoenix" });
        await founder.CallAsync(guild, "SendMessage", new { text = "before" });

        await founder.CallAsync(guild, "Leave");

        await Refused(founder, guild, "GetInfo", null, "Guild-phoenix does not exist");
        var again = await founder.CreateAsync("Guild", guild, new { name = "Phoenix II" });
        Assert.Equal(0, again.GetProperty("lastSeq").GetInt64());
        var page = await founder.CallAsync(guild, "GetMessages", new { afterSeq = 0 });
        Assert.Empty(page.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task Membership_SurvivesARestartOfEveryInstance()
    {
        await using var restartable = await ClusterFixture.StartAsync();
        const string guild = "Guild-durable";
        await using (var owner = await TestClient.ConnectAsync(restartable.A, "dur-owner"))
        await using (var member = await TestClient.ConnectAsync(restartable.B, "dur-member"))
        {
            await owner.CreateAsync("Guild", guild, new { name = "Durable" });
            await JoinAsync(owner, member, guild);
            await owner.CallAsync(guild, "SendMessage", new { text = "kept" });
        }

        await restartable.RestartInstancesAsync();

        await using var back = await TestClient.ConnectAsync(restartable.A, "dur-member");
        var info = await back.CallAsync(guild, "GetInfo");
        Assert.Equal([("dur-owner", "owner"), ("dur-member", "member")], Members(info));
        Assert.Equal(1, info.GetProperty("lastSeq").GetInt64());
        await using var ownerBack = await TestClient.ConnectAsync(restartable.B, "dur-owner");
        await ownerBack.CallAsync(guild, "SendMessage", new { text = "still here" });
        Assert.Equal(2, (await back.NextAsync("NewMessage")).GetProperty("seq").GetInt64());
    }

    private static async Task JoinAsync(TestClient owner, TestClient joiner, string guild)
    {
        await owner.CallAsync(guild, "Invite", new { user = joiner.User });
        await joiner.CallAsync(guild, "AcceptInvite");
    }

    private static async Task Refused(TestClient client, string guild, string method, object? args, string expected)
    {
        var error = await Assert.ThrowsAsync<HubException>(() => client.CallAsync(guild, method, args));
        Assert.Contains(expected, error.Message);
    }

    private static List<(string, string)> Members(JsonElement info) =>
        [.. info.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("user").GetString()!, m.GetProperty("role").GetString()!))];
}
