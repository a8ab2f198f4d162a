using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Operations;

/// <summary>The console client when its instance dies: it moves to another instance of the cluster and misses nothing.</summary>
public sealed class ConsoleClientFailoverTests
{
    private const string Room = "ChatRoom-failover";

    [Fact]
    public async Task ClientWhoseInstanceIsKilled_MovesToAnotherInstance_AndPrintsEverythingSentMeanwhile()
    {
        await using var cluster = await FailoverPair.StartAsync();
        await using var bob = await TestClient.ConnectAsync(cluster.Survivor, "bob");
        await bob.CallAsync(Room, "Join");
        await using var alice = await ConsoleClient.ConnectAsync(cluster.Doomed.Url, "alice");
        await alice.SendLineAsync("/join failover");
        await alice.ExpectAsync(line => line.StartsWith("* joined", StringComparison.Ordinal), "the join");
        await bob.CallAsync(Room, "SendMessage", new { text = "before" });
        Assert.Equal("bob: before", await alice.NextMessageAsync());

        cluster.Doomed.Crash();
        await bob.CallAsync(Room, "SendMessage", new { text = "while moving 1" });
        await bob.CallAsync(Room, "SendMessage", new { text = "while moving 2" });

        await alice.ExpectAsync(line => line == $"* reconnected to {cluster.Survivor.Url}", "the move to the survivor", TimeSpan.FromSeconds(30));
        Assert.Equal("bob: while moving 1", await alice.NextMessageAsync());
        Assert.Equal("bob: while moving 2", await alice.NextMessageAsync());
        await bob.CallAsync(Room, "SendMessage", new { text = "after" });
        Assert.Equal("bob: after", await alice.NextMessageAsync());
        await alice.SendLineAsync("still here");
        Assert.Equal("still here", (await bob.NextAsync("NewMessage")).GetProperty("text").GetString());
    }
}
