using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Notices;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>The console client as a real process, driven through standard input and output against the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsoleClientTests(ClusterFixture cluster)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoClientsOnDifferentInstances_ExchangeMessages()
    {
        await using var alice = await ConsoleClient.ConnectAsync(cluster.A, "alice");
        await using var bob = await ConsoleClient.ConnectAsync(cluster.B, "bob", Protocol.MessagePack);
        await alice.SendLineAsync("/join console");
        await alice.ExpectAsync(line => line == "* joined ChatRoom-console; members: alice", "alice's join");
        await bob.SendLineAsync("/join console");
        await bob.ExpectAsync(line => line == "* joined ChatRoom-console; members: alice, bob", "bob's join");
        await alice.ExpectAsync(line => line == "* bob joined", "bob's arrival");

        await alice.SendLineAsync("hello bob, from instance A");
        Assert.Equal("alice: hello bob, from instance A", await bob.NextMessageAsync());
        Assert.Equal("alice: hello bob, from instance A", await alice.NextMessageAsync()); // its own, once stored
        await bob.SendLineAsync("hi alice, from B");
        Assert.Equal("bob: hi alice, from B", await alice.NextMessageAsync());

        await bob.SendLineAsync("/who");
        await bob.ExpectAsync(line => line == "* members: alice, bob", "the member list");
        await bob.SendLineAsync("/quit");
        await bob.WaitForExitAsync(ExitTimeout);
        Assert.Equal(0, bob.ExitCode);
        await alice.ExpectAsync(line => line == "* bob left", "bob's departure");
    }

    [Fact]
    public async Task StatusAndFollow_PrintPresenceChangesFromAnotherInstance()
    {
        await using var alice = await ConsoleClient.ConnectAsync(cluster.A, "con-alice");
        await using var bob = await ConsoleClient.ConnectAsync(cluster.B, "con-bob", Protocol.MessagePack);
        await alice.SendLineAsync("/follow con-bob con-nobody");
        await alice.ExpectAsync(line => line == "* con-bob is online", "bob's presence");
        await alice.ExpectAsync(line => line == "* con-nobody is offline", "an unknown user's presence");

        await bob.SendLineAsync("/status in-game ranked match");
        await bob.ExpectAsync(line => line == "* you are in-game: ranked match", "bob's own status");
        await alice.ExpectAsync(line => line == "* con-bob is in-game: ranked match", "bob's change, pushed");

        await bob.SendLineAsync("/status sleeping");
        await bob.ExpectAsync(line => line == "! status must be one of online, away, busy, in-game, in-menu, invisible; it was 'sleeping'.", "the refusal");
        await alice.SendLineAsync("/unfollow con-bob");
        await alice.ExpectAsync(line => line == "* no longer following con-bob", "the unfollow");
    }

    [Fact]
    public async Task DirectMessages_BothWays_AndEachClientAcknowledgesWhatItReceives()
    {
        await using var carl = await ConsoleClient.ConnectAsync(cluster.A, "con-carl", Protocol.MessagePack);
        await using var dana = await ConsoleClient.ConnectAsync(cluster.B, "con-dana");

        await carl.SendLineAsync("/dm con-dana are you there?");
        await dana.ExpectAsync(line => line.EndsWith("] con-carl → you: are you there?", StringComparison.Ordinal), "the message, pushed to dana");
        // dana's client acknowledged it on receipt: carl hears it was delivered. The confirmation is a push, and may
        // come before the answer to carl's own call, after which carl prints the message he sent.
        await carl.ExpectAllAsync("carl's sent message and its delivery confirmation",
            line => line.EndsWith("] you → con-dana: are you there?", StringComparison.Ordinal),
            line => line == "* delivered to con-dana: con-carl:con-dana#1");

        await dana.SendLineAsync("/dm con-carl yes!");
        await carl.ExpectAsync(line => line.EndsWith("] con-dana → you: yes!", StringComparison.Ordinal), "the reply");
        await dana.ExpectAsync(line => line == "* delivered to con-carl: con-carl:con-dana#2", "the reply's confirmation");
        await dana.SendLineAsync("/dm con-dana me");
        await dana.ExpectAsync(line => line == "! You cannot send to yourself.", "the refusal");
        await dana.SendLineAsync("/dm con-carl");
        await dana.ExpectAsync(line => line == "! /dm needs a user and a text: /dm USER TEXT", "the usage");
    }

    [Fact]
    public async Task SystemMessages_PendingAndLive_ArePrinted_AndAcknowledgedWithoutError()
    {
        var grains = cluster.A.Services.GetRequiredService<IGrainFactory>();
        await SystemMessages.SendAsync(grains, "con-sys", "welcome", "Welcome back!");
        await using var client = await ConsoleClient.ConnectAsync(cluster.B, "con-sys", Protocol.MessagePack);

        // Pushed as the connection opens, maybe before the help line: look in everything it printed.
        await Eventually.TrueAsync(() => client.Transcript.Contains("** system: Welcome back!"), "the pending system message");

        await SystemMessages.SendAsync(grains, "con-sys", "news", "Patch notes are out");
        await client.ExpectAsync(line => line == "** system: Patch notes are out", "the one sent while connected");
        Assert.DoesNotContain("! could not acknowledge", client.Transcript);
    }

    [Fact]
    public async Task GuildAndParty_FromTheConsole()
    {
        await using var gia = await ConsoleClient.ConnectAsync(cluster.A, "con-gia");
        await using var hub = await ConsoleClient.ConnectAsync(cluster.B, "con-hub", Protocol.MessagePack);

        await gia.SendLineAsync("/guild create knights The Knights");
        await gia.ExpectAsync(line => line == "* created Guild-knights; invite with /guild invite knights USER", "the guild");
        await gia.SendLineAsync("/guild invite knights con-hub");
        await hub.ExpectAsync(line => line == "* con-gia invited you to the guild The Knights (Guild-knights): /guild accept knights", "the invite");
        await hub.SendLineAsync("/guild accept knights");
        await hub.ExpectAsync(line => line == "* joined Guild-knights", "the join");
        await gia.SendLineAsync("/guild say knights to arms");
        await hub.ExpectAsync(line => line.EndsWith("] [Guild-knights] con-gia: to arms", StringComparison.Ordinal), "the guild message");

        await gia.SendLineAsync("/party create duo");
        await gia.ExpectAsync(line => line == "* Party-duo: leader con-gia; members con-gia", "the party");
        await gia.SendLineAsync("/party invite duo con-hub");
        await hub.ExpectAsync(line => line.StartsWith("* con-gia invited you to Party-duo", StringComparison.Ordinal), "the party invite");
        await hub.SendLineAsync("/party accept duo");
        await gia.ExpectAsync(line => line == "* Party-duo: leader con-gia; members con-gia, con-hub", "the change, pushed");
        await hub.ExpectAsync(line => line == "* Party-duo: leader con-gia; members con-gia, con-hub", "the change, pushed to the joiner");
        await hub.SendLineAsync("/party say duo on my way");
        await gia.ExpectAsync(line => line.EndsWith("] [Party-duo] con-hub: on my way", StringComparison.Ordinal), "the party message");
        await gia.SendLineAsync("/party kick duo");
        await gia.ExpectAsync(line => line == "! /party create ID | invite ID USER | accept ID | leave ID | say ID TEXT", "the usage");
    }

    [Fact]
    public async Task UnknownCommand_PrintsTheUsage_AndTheClientKeepsWorking()
    {
        await using var client = await ConsoleClient.ConnectAsync(cluster.A, "typo");

        await client.SendLineAsync("/jion lobby");

        await client.ExpectAsync(line => line.StartsWith("! unknown command '/jion lobby'. commands: /join ROOM", StringComparison.Ordinal), "the usage");
        await client.SendLineAsync("/join lobby");
        await client.ExpectAsync(line => line.StartsWith("* joined ChatRoom-lobby", StringComparison.Ordinal), "the join");
    }

    [Fact]
    public async Task RefusedCommands_PrintTheReason_AndTheClientKeepsWorking()
    {
        await using var client = await ConsoleClient.ConnectAsync(cluster.B, "refused");

        await client.SendLineAsync("talking to nobody");
        await client.ExpectAsync(line => line == "! join a room first: /join ROOM", "the no-room error");
        await client.SendLineAsync("/join");
        await client.ExpectAsync(line => line == "! /join needs a room name: /join ROOM", "the missing-name error");
        await client.SendLineAsync("/join refusals");
        await client.SendLineAsync(new string('x', 4001));
        await client.ExpectAsync(line => line == "! text is 4001 characters long; the limit is 4000.", "the server's reason");

        await client.SendLineAsync("short enough");
        Assert.Equal("refused: short enough", await client.NextMessageAsync());
    }

    [Fact]
    public async Task JoiningARoom_PrintsItsRecentMessages_AndMessagesPrintsTheHistory()
    {
        await using var writer = await TestClient.ConnectAsync(cluster.A, "writer");
        await writer.CallAsync("ChatRoom-console-history", "Join");
        for (var i = 1; i <= 12; i++)
        {
            await writer.CallAsync("ChatRoom-console-history", "SendMessage", new { text = $"m{i}" });
        }
        await using var reader = await ConsoleClient.ConnectAsync(cluster.B, "reader");

        await reader.SendLineAsync("/join console-history");

        for (var i = 3; i <= 12; i++)
        {
            Assert.Equal($"writer: m{i}", await reader.NextMessageAsync()); // the last ten
        }
        await reader.SendLineAsync("/messages");
        for (var i = 1; i <= 12; i++)
        {
            Assert.Equal($"writer: m{i}", await reader.NextMessageAsync());
        }
    }

    [Fact]
    public async Task PipedInput_RunsEveryLine_AndTheClientExitsWhenInputEnds()
    {
        await using var listener = await TestClient.ConnectAsync(cluster.B, "listener");
        await listener.CallAsync("ChatRoom-piped", "Join");
        await using var script = await ConsoleClient.ConnectAsync(cluster.A, "script");

        await script.SendLineAsync("/join piped");
        await script.SendLineAsync("line one");
        await script.SendLineAsync("line two");
        Assert.Equal("line one", (await listener.NextAsync("NewMessage")).GetProperty("text").GetString());
        Assert.Equal("line two", (await listener.NextAsync("NewMessage")).GetProperty("text").GetString());

        await script.EndInputAsync(ExitTimeout);
        Assert.Equal(0, script.ExitCode);
    }

    [Theory]
    [InlineData(new[] { "--server", "http://127.0.0.1:5000" }, "--user is required.", 2)]
    [InlineData(new[] { "--user", "x", "--protocol", "xml" }, "--protocol 'xml' is not json or messagepack.", 2)]
    [InlineData(new[] { "--user", "x", "--color", "red" }, "Unknown option --color.", 2)]
    public async Task BadOptions_PrintWhatIsWrongAndTheUsage_AndExitWith2(string[] args, string error, int exitCode)
    {
        await using var client = ConsoleClient.Start(args);

        await client.ExpectAsync(line => line == error, "the error");
        await client.ExpectAsync(line => line.StartsWith("usage: signalrchat-console", StringComparison.Ordinal), "the usage");
        await client.WaitForExitAsync(ExitTimeout);
        Assert.Equal(exitCode, client.ExitCode);
    }

    [Fact]
    public async Task ABadUserName_IsRefusedWithTheServersReason()
    {
        await using var client = ConsoleClient.Start("--server", cluster.A.Url, "--user", "bad name!");

        await client.ExpectAsync(line => line == $"Cannot connect to {cluster.A.Url}/: user may hold only letters, digits, '_', '-' and '.' (ASCII).",
            "the server's reason");
        await client.WaitForExitAsync(ExitTimeout);
        Assert.Equal(1, client.ExitCode);
    }
}
