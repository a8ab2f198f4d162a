using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Channels;

/// <summary>World channels over two instances: open to all, per-user send rate limit, no creating.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorldTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AnyoneJoins_AndMessagesReachTheOtherMembersOnEveryInstance()
    {
        const string world = "World-open";
        await using var ada = await TestClient.ConnectAsync(cluster.A, "world-ada");
        await using var bo = await TestClient.ConnectAsync(cluster.B, "world-bo", Protocol.MessagePack);
        await ada.CallAsync(world, "Join");
        await bo.CallAsync(world, "Join");

        var sent = await ada.CallAsync(world, "SendMessage", new { text = "gg" });

        var received = await bo.NextAsync("NewMessage");
        Assert.Equal(world, received.GetProperty("room").GetString());
        Assert.Equal(sent.GetProperty("seq").GetInt64(), received.GetProperty("seq").GetInt64());
        Assert.Equal(["world-ada", "world-bo"], (await bo.CallAsync(world, "ListMembers")).EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task SendingFasterThanTheRate_IsRefusedWithTheLimit_StoresNothing_AndLeavesOthersAlone()
    {
        const string world = "World-flood";
        await using var flooder = await TestClient.ConnectAsync(cluster.A, "world-flooder");
        await using var calm = await TestClient.ConnectAsync(cluster.B, "world-calm");
        await flooder.CallAsync(world, "Join");
        await calm.CallAsync(world, "Join");

        var clock = Stopwatch.StartNew();
        var accepted = 0;
        var refusals = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await flooder.CallAsync(world, "SendMessage", new { text = $"spam {i}" });
                accepted++;
            }
            catch (HubException e)
            {
                refusals.Add(e.Message);
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;

        // A burst of 2, then 2 a second (the default): however slow this machine was, no more than that got through.
        Assert.InRange(accepted, 2, 2 + (int)Math.Ceiling(seconds * 2));
        Assert.All(refusals, r => Assert.Matches(
            @"\[rate-limited\] You are sending too fast in World-flood: at most 2 messages a second \(Channels:World:MessagesPerSecond\)\. Retry in \d+(\.\d)? s\.$", r));
        Assert.Equal(10 - accepted, refusals.Count);
        await calm.CallAsync(world, "SendMessage", new { text = "not me" });
        var history = await calm.CallAsync(world, "GetMessages", new { afterSeq = 0 });
        Assert.Equal(accepted + 1, history.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Create_IsNotForClients()
    {
        await using var eli = await TestClient.ConnectAsync(cluster.A, "world-eli");

        var error = await Assert.ThrowsAsync<HubException>(() => eli.CreateAsync("World", "World-mine", JsonDocument.Parse("{}").RootElement));

        Assert.Contains("Clients may not create World objects.", error.Message);
    }
}
