using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;
using SignalRChat.Tests.Presence;

namespace SignalRChat.Tests.Channels;

/// <summary>Parties over two instances (presence grace 1 s): invites, the leader's role passing on, the party ending,
/// one party per user, and the size limit.</summary>
[Collection(PresenceCollection.Name)]
public sealed class PartyTests(PresenceClusterFixture cluster)
{
    [Fact]
    public async Task InvitedUsersJoin_EveryChangeReachesEveryMember_AndTheLastToLeaveEndsTheParty()
    {
        const string party = "Party-squad";
        await using var lead = await TestClient.ConnectAsync(cluster.A, "pty-lead");
        await using var mate = await TestClient.ConnectAsync(cluster.B, "pty-mate", Protocol.MessagePack);
        mate.Listen("PartyInvite");
        lead.Listen("PartyChanged");
        var created = await lead.CreateAsync("Party", party, null);
        Assert.Equal("pty-lead", created.GetProperty("leader").GetString());

        await lead.CallAsync(party, "Invite", new { user = "pty-mate" });
        var invite = await mate.NextAsync("PartyInvite");
        Assert.Equal(party, invite.GetProperty("party").GetString());
        Assert.Equal("pty-lead", invite.GetProperty("from").GetString());
        mate.Listen("PartyChanged");
        await mate.CallAsync(party, "Accept");

        var joined = await lead.NextAsync("PartyChanged");
        Assert.Equal(["pty-lead", "pty-mate"], Members(joined));

        // The party's channel: every member's connections receive, markers reach the others, the inbox lists it.
        lead.Listen("ReadUpTo");
        await lead.CallAsync(party, "SendMessage", new { text = "pull left" });
        var message = await mate.NextAsync("NewMessage");
        Assert.Equal($"{party}#1", message.GetProperty("id").GetString());
        Assert.Equal("pull left", message.GetProperty("text").GetString());
        await mate.CallAsync(party, "MarkRead", new { seq = 1 });
        Assert.Equal("pty-mate", (await lead.NextAsync("ReadUpTo")).GetProperty("user").GetString());
        var listed = Assert.Single((await mate.CallAsync("Player-pty-mate", "GetInbox")).GetProperty("channels").EnumerateArray());
        Assert.Equal(party, listed.GetProperty("room").GetString());
        Assert.Equal(0, listed.GetProperty("unread").GetInt64());

        await lead.CallAsync(party, "Leave");
        var handed = await mate.NextAsync("PartyChanged", c => Members(c).Count == 1, "the leader leaving");
        Assert.Equal("pty-mate", handed.GetProperty("leader").GetString());
        await mate.CallAsync(party, "Leave");
        var ended = await mate.NextAsync("PartyChanged", c => Members(c).Count == 0, "the party ending");
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("leader").ValueKind);
        Assert.Empty((await mate.CallAsync("Player-pty-mate", "GetInbox")).GetProperty("channels").EnumerateArray());
        // Both are free to make new parties; one made again under the same ID starts with no history.
        await lead.CreateAsync("Party", "Party-squad-2", null);
        await mate.CreateAsync("Party", party, null);
        Assert.Equal(0, (await mate.CallAsync(party, "GetMessages", new { afterSeq = 0 })).GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task TheLeadersRole_PassesToTheNextMemberOnline_WhenTheLeaderGoesOffline()
    {
        const string party = "Party-afk";
        var lead = await TestClient.ConnectAsync(cluster.A, "afk-lead");
        var away = await TestClient.ConnectAsync(cluster.B, "afk-away");
        await using var here = await TestClient.ConnectAsync(cluster.B, "afk-here");
        await lead.CreateAsync("Party", party, null);
        foreach (var member in new[] { away, here })
        {
            await lead.CallAsync(party, "Invite", new { user = member.User });
            await member.CallAsync(party, "Accept");
        }
        here.Listen("PresenceChanged");
        await here.FollowAsync("afk-away");
        await away.DisposeAsync();
        await here.NextAsync("PresenceChanged", p => p.GetProperty("user").GetString() == "afk-away" && p.GetProperty("status").GetString() == "offline", "afk-away going offline");
        here.Listen("PartyChanged");

        await lead.DisposeAsync(); // offline once the 1 s grace has passed

        var changed = await here.NextAsync("PartyChanged", c => c.GetProperty("leader").GetString() != "afk-lead", "the leader's role passing on");
        // afk-away joined first but is offline: the role skips them.
        Assert.Equal("afk-here", changed.GetProperty("leader").GetString());
        Assert.Equal(["afk-lead", "afk-away", "afk-here"], Members(changed));
    }

    [Fact]
    public async Task Rules_OnePartyPerUser_LeaderOnlyKicksAndPromotes_AndTheSizeLimit()
    {
        const string party = "Party-rules";
        await using var lead = await TestClient.ConnectAsync(cluster.A, "rul-lead");
        await using var other = await TestClient.ConnectAsync(cluster.B, "rul-other");
        await lead.CreateAsync("Party", party, null);
        await lead.CallAsync(party, "Invite", new { user = "rul-other" });
        await other.CallAsync(party, "Accept");

        await Refused(other, party, "Kick", new { user = "rul-lead" }, "Only the leader of Party-rules can kick.");
        await Refused(other, party, "PromoteLeader", new { user = "rul-other" }, "Only the leader of Party-rules can promote a leader.");
        var error = await Assert.ThrowsAsync<HubException>(() => other.CreateAsync("Party", "Party-rules-elsewhere", null));
        Assert.Contains("You are in another party; leave it before joining Party-rules-elsewhere.", error.Message);
        await Refused(lead, party, "Invite", new { user = "rul-other" }, "rul-other is already in Party-rules.");
        await Refused(lead, party, "Kick", new { user = "rul-lead" }, "To leave Party-rules, call Leave.");

        await lead.CallAsync(party, "PromoteLeader", new { user = "rul-other" });
        await other.CallAsync(party, "Kick", new { user = "rul-lead" });
        Assert.Equal(["rul-other"], Members(await other.CallAsync(party, "GetInfo")));
        await Refused(lead, party, "GetInfo", null, "Only members of Party-rules can see it.");

        for (var i = 1; i <= 7; i++)
        {
            await using var joiner = await TestClient.ConnectAsync(cluster.A, $"rul-{i}");
            await other.CallAsync(party, "Invite", new { user = joiner.User });
            await joiner.CallAsync(party, "Accept");
        }
        await using var ninth = await TestClient.ConnectAsync(cluster.B, "rul-9");
        await other.CallAsync(party, "Invite", new { user = "rul-9" });
        await Refused(ninth, party, "Accept", null, "Party-rules is full (8 members).");
        await Refused(lead, party, "Accept", null, "You have no invite to Party-rules.");
    }

    [Fact]
    public async Task AUserRecordedInAPartyThatNoLongerHasThem_CanJoinAnother()
    {
        var grains = cluster.A.Services.GetRequiredService<IGrainFactory>();
        var player = grains.GetGrain<IPlayerGrain>(ObjectId.Create("Player", "pty-ghost").ToGrainId());
        // As after a party's write failed halfway: the player says Party-gone, which never had them.
        Assert.True(await player.TryJoinParty("Party-gone"));
        await using var ghost = await TestClient.ConnectAsync(cluster.B, "pty-ghost");

        var created = await ghost.CreateAsync("Party", "Party-fresh", null);

        Assert.Equal("pty-ghost", created.GetProperty("leader").GetString());
    }

    private static async Task Refused(TestClient client, string party, string method, object? args, string expected)
    {
        var error = await Assert.ThrowsAsync<HubException>(() => client.CallAsync(party, method, args));
        Assert.Contains(expected, error.Message);
    }

    private static List<string?> Members(JsonElement info) => [.. info.GetProperty("members").EnumerateArray().Select(m => m.GetString())];
}
