using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>The console client across a restart of its instance (a cluster of its own).</summary>
public sealed class ConsoleClientReconnectTests
{
    [Fact]
    public async Task ClientWhoseInstanceRestarts_SaysSo_Rejoins_AndPrintsWhatItMissed()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await using var bob = await TestClient.ConnectAsync(cluster.B, "bob");
        await bob.CallAsync("ChatRoom-reconnects", "Join");
        await using var alice = await ConsoleClient.ConnectAsync(cluster.A, "alice");
        await alice.SendLineAsync("/join reconnects");
        await alice.ExpectAsync(line => line.StartsWith("* joined", StringComparison.Ordinal), "the join");

        await cluster.StopAAsync();
        await alice.ExpectAsync(line => line == "* connection lost, reconnecting...", "the lost connection");
        await bob.CallAsync("ChatRoom-reconnects", "SendMessage", new { text = "while you were away 1" });
        await bob.CallAsync("ChatRoom-reconnects", "SendMessage", new { text = "while you were away 2" });
        await cluster.StartAAgainAsync();

        await alice.ExpectAsync(line => line.StartsWith("* reconnected to ", StringComparison.Ordinal), "the reconnect", TimeSpan.FromSeconds(60));
        Assert.Equal("bob: while you were away 1", await alice.NextMessageAsync());
        Assert.Equal("bob: while you were away 2", await alice.NextMessageAsync());
        await bob.CallAsync("ChatRoom-reconnects", "SendMessage", new { text = "welcome back" });
        Assert.Equal("bob: welcome back", await alice.NextMessageAsync());
        await alice.SendLineAsync("thanks");
        Assert.Equal("thanks", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());
    }
}
