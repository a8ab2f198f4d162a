using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Presence;

/// <summary>Every bad input to players and zones gets a clear error, stores nothing, and leaves the connection usable.</summary>
[Collection(PresenceCollection.Name)]
public sealed class PresenceBadInputTests(PresenceClusterFixture cluster)
{
    public static TheoryData<string, object?, string> BadPlayerCalls => new()
    {
        { "SetStatus", new { status = "offline" }, "status 'offline' cannot be set: a user is offline when their last connection closes. Use 'invisible' to appear offline." },
        { "SetStatus", new { status = "sleeping" }, "status must be one of online, away, busy, in-game, in-menu, invisible; it was 'sleeping'." },
        { "SetStatus", new { status = "busy", text = new string('x', 129) }, "text is 129 characters long; the limit is 128." },
        { "SetStatus", new { status = "busy", text = "a\u0007b" }, "text holds a control character (U+0007) at index 1." },
        { "SetActivity", new { activity = new[] { 1, 2 } }, "activity must be a JSON object or null; it was array." },
        { "SetActivity", new { activity = new { blob = new string('x', 1100) } }, "activity is 1111 bytes of JSON; the limit is 1024." },
        { "Follow", new { users = Enumerable.Range(0, 501).Select(i => $"u{i}").ToArray() }, "users holds 501 names; the limit is 500 per call." },
        { "Follow", new { users = new[] { "ok", "not ok" } }, "users[1] may hold only letters, digits, '_', '-' and '.' (ASCII)." },
        { "Follow", new { users = new[] { "bad-alice" } }, "users must not include yourself: you cannot follow yourself." },
        { "Unfollow", new { users = Enumerable.Range(0, 501).Select(i => $"u{i}").ToArray() }, "users holds 501 names; the limit is 500 per call." },
        { "GetPresence", new { users = Enumerable.Range(0, 501).Select(i => $"u{i}").ToArray() }, "users holds 501 names; the limit is 500 per call." },
        { "GetPresence", new { users = new[] { "" } }, "users[0] is required." },
        { "GetPresence", new { users = new[] { new string('u', 65) } }, "users[0] is longer than 64 characters." },
        { "SetStatus", new { status = 3 }, "Invalid args for Player.SetStatus: 'status' has the wrong type. Expected {status: string, text?: string}." },
    };

    [Theory]
    [MemberData(nameof(BadPlayerCalls))]
    public async Task ABadPlayerCall_IsRefusedClearly_AndChangesNothing(string method, object? args, string expected)
    {
        await using var alice = await TestClient.ConnectAsync(cluster.A, "bad-alice");
        await alice.SetStatusAsync("in-game", "before");

        var error = await Assert.ThrowsAsync<HubException>(() => alice.CallAsync(alice.PlayerOf(), method, args));

        Assert.EndsWith(expected, error.Message);
        var presence = await alice.PresenceOfAsync("bad-alice");
        Assert.Equal("in-game", presence.GetProperty("status").GetString());
        Assert.Equal("before", presence.GetProperty("text").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, presence.GetProperty("activity").ValueKind);
        Assert.Empty((await alice.CallAsync(alice.PlayerOf(), "ListFollowing")).EnumerateArray());
    }

    public static TheoryData<string, object?, string> BadZoneCalls => new()
    {
        { "Enter", new { x = 1_000_001.0, y = 0.0 }, "x must be a finite number within ±1,000,000; it was 1000001." },
        { "Enter", new { x = 0.0, y = -2e6 }, "y must be a finite number within ±1,000,000; it was -2000000." },
        { "Enter", new { x = double.NaN, y = 0.0 }, "Invalid args for Zone.Enter: args hold NaN, which has no JSON form." },
        { "Enter", new { x = 0.0, y = double.PositiveInfinity }, "Invalid args for Zone.Enter: args hold Infinity, which has no JSON form." },
        { "Enter", new { x = 0.0 }, "Invalid args for Zone.Enter: 'y' is missing. Expected {x: number, y: number}." },
        { "Move", new { x = 1.0, y = 1.0 }, "Enter Zone-bad-other before you move." },
        { "Nearby", new { radius = 10.0 }, "Enter Zone-bad-other before you ask who is nearby." },
        { "SayNearby", new { text = "hi", radius = 10.0 }, "Enter Zone-bad-other before you talk nearby." },
    };

    [Theory]
    [MemberData(nameof(BadZoneCalls))]
    public async Task ABadZoneCall_IsRefusedClearly_AndChangesNothing(string method, object? args, string expected)
    {
        // MessagePack carries NaN and infinities, which JSON cannot.
        await using var alice = await TestClient.ConnectAsync(cluster.B, "bad-zoner", Protocol.MessagePack);

        var error = await Assert.ThrowsAsync<HubException>(() => alice.CallAsync("Zone-bad-other", method, args));

        Assert.EndsWith(expected, error.Message);
        var players = await alice.CallAsync("Zone-bad-other", "ListPlayers");
        Assert.Empty(players.GetProperty("players").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await alice.PresenceOfAsync("bad-zoner")).GetProperty("zone").ValueKind);
    }

    public static TheoryData<string, object?, string> BadCallsInAZone => new()
    {
        { "Move", new { x = double.NegativeInfinity, y = 0.0 }, "Invalid args for Zone.Move: args hold -Infinity, which has no JSON form." },
        { "Move", new { x = 5.0, y = 1e7 }, "y must be a finite number within ±1,000,000; it was 10000000." },
        { "Nearby", new { radius = 0.0 }, "radius must be a finite number above 0 and at most 3,000,000; it was 0." },
        { "Nearby", new { radius = -5.0 }, "radius must be a finite number above 0 and at most 3,000,000; it was -5." },
        { "Nearby", new { radius = double.NaN }, "Invalid args for Zone.Nearby: args hold NaN, which has no JSON form." },
        { "SayNearby", new { text = "hi", radius = double.PositiveInfinity }, "Invalid args for Zone.SayNearby: args hold Infinity, which has no JSON form." },
        { "Nearby", new { radius = 10.0, limit = 0 }, "limit must be between 1 and 500; it was 0." },
        { "Nearby", new { radius = 10.0, limit = 501 }, "limit must be between 1 and 500; it was 501." },
        { "SayNearby", new { text = "   ", radius = 10.0 }, "text must not be empty." },
        { "SayNearby", new { text = new string('x', 1001), radius = 10.0 }, "text is 1001 characters long; the limit is 1000." },
        { "SayNearby", new { text = "hi", radius = 4e6 }, "radius must be a finite number above 0 and at most 3,000,000; it was 4000000." },
    };

    [Theory]
    [MemberData(nameof(BadCallsInAZone))]
    public async Task ABadCallInAZone_IsRefusedClearly_AndLeavesThePositionAlone(string method, object? args, string expected)
    {
        await using var alice = await TestClient.ConnectAsync(cluster.A, "bad-mover", Protocol.MessagePack);
        await alice.CallAsync("Zone-bad-in", "Enter", new { x = 5.0, y = 6.0 });

        var error = await Assert.ThrowsAsync<HubException>(() => alice.CallAsync("Zone-bad-in", method, args));

        Assert.EndsWith(expected, error.Message);
        var me = (await alice.CallAsync("Zone-bad-in", "ListPlayers")).GetProperty("players").EnumerateArray().Single();
        Assert.Equal(5.0, me.GetProperty("x").GetDouble());
        Assert.Equal(6.0, me.GetProperty("y").GetDouble());
        await alice.CallAsync("Zone-bad-in", "Leave");
    }
}
