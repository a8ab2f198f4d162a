using SignalRChat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SignalRChat.Tests.Integration;

/// <summary>
/// Counts Redis PUBLISH commands (INFO commandstats) for pushes to a 100-member room spread over two instances,
/// for each push strategy. SignalR's stock backplane (one publish per remote recipient) is measured beside ours by
/// the benchmark tool, whose smoke test asserts that count.
/// </summary>
public sealed class BackplaneCostTests(ITestOutputHelper output)
{
    private const int Members = 100;
    private const int Pushes = 10;

    [Theory]
    [InlineData("PerInstance", 1.0)]
    [InlineData("FanOutOnRead", 1.0)]
    public async Task PushToA100MemberRoomOverTwoInstances_CostsTheExpectedPublishesPerPush(string strategy, double mostPerPush)
    {
        await using var cluster = await ClusterFixture.StartAsync($"Push:Strategy={strategy}");
        var room = $"ChatRoom-cost-{strategy}";
        var clients = await Task.WhenAll(Enumerable.Range(0, Members).Select(i =>
            TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, $"member{i}", listenTo: "MemberJoined")));
        try
        {
            foreach (var client in clients)
            {
                await client.CallAsync(room, "Join");
            }
            var sender = clients[0];
            var receivers = clients[1..];
            // The joins' own pushes are published before the count starts: each member has heard of every later join.
            await Eventually.TrueAsync(() => clients.Select((c, i) => c.Pending("MemberJoined") == Members - 1 - i).All(heard => heard), "every join heard");

            var before = await cluster.Redis.CommandCallsAsync("publish");
            for (var i = 0; i < Pushes; i++)
            {
                await sender.CallAsync(room, "SendMessage", new { text = $"push {i}" });
            }
            await Eventually.TrueAsync(() => receivers.All(r => r.Pending("NewMessage") == Pushes), $"{receivers.Length} members each receive {Pushes} messages");
            var publishes = await cluster.Redis.CommandCallsAsync("publish") - before;

            var perPush = (double)publishes / Pushes;
            output.WriteLine($"{strategy}: {publishes} PUBLISH for {Pushes} pushes to {Members} members over 2 instances = {perPush:0.##} per push");
            Assert.InRange(perPush, 1.0 / Pushes, mostPerPush); // fewer when pushes queue up and share a publish
            Assert.Equal(0, sender.Pending("NewMessage"));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
