using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Hubs;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>What the lifetime manager does not route itself keeps SignalR's semantics across instances.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SignalRSemanticsTests(ClusterFixture cluster)
{
    private IHubContext<ObjectHub> HubOnA => cluster.A.Services.GetRequiredService<IHubContext<ObjectHub>>();

    [Fact]
    public async Task All_ReachesClientsOnEveryInstance()
    {
        await using var onA = await TestClient.ConnectAsync(cluster.A, "all-a", listenTo: "Broadcast");
        await using var onB = await TestClient.ConnectAsync(cluster.B, "all-b", Protocol.MessagePack, listenTo: "Broadcast");

        await HubOnA.Clients.All.SendAsync("Broadcast", new Dictionary<string, object> { ["n"] = 1 });

        Assert.Equal(1, (await onA.NextAsync("Broadcast")).GetProperty("n").GetInt32());
        Assert.Equal(1, (await onB.NextAsync("Broadcast")).GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task AllExcept_AcceptsClientIds_AndSkipsThem()
    {
        await using var skipped = await TestClient.ConnectAsync(cluster.B, "except-skipped", listenTo: "Notice");
        await using var reached = await TestClient.ConnectAsync(cluster.B, "except-reached", listenTo: "Notice");

        await HubOnA.Clients.AllExcept([skipped.ClientId]).SendAsync("Notice", "first");
        await HubOnA.Clients.All.SendAsync("Notice", "second");

        Assert.Equal("first", (await reached.NextAsync("Notice")).GetString());
        Assert.Equal("second", (await skipped.NextAsync("Notice")).GetString());
    }

    [Fact]
    public async Task Groups_WorkAcrossInstances_WithClientIds()
    {
        await using var member = await TestClient.ConnectAsync(cluster.B, "group-member", listenTo: "GroupNews");
        await using var other = await TestClient.ConnectAsync(cluster.B, "group-other", listenTo: "GroupNews");

        await HubOnA.Groups.AddToGroupAsync(member.ClientId, "news");
        await HubOnA.Clients.Group("news").SendAsync("GroupNews", "to the group");
        await HubOnA.Clients.All.SendAsync("GroupNews", "to all");

        // SignalR's Redis manager reads each channel on its own queue: the group and the all message may arrive in either order.
        string?[] memberGot = [(await member.NextAsync("GroupNews")).GetString(), (await member.NextAsync("GroupNews")).GetString()];
        Assert.Equal(["to all", "to the group"], memberGot.Order());
        Assert.Equal("to all", (await other.NextAsync("GroupNews")).GetString());
        Assert.Equal(0, other.Pending("GroupNews"));
    }

    [Fact]
    public async Task User_ReachesEveryConnectionOfTheUser_OnEveryInstance()
    {
        await using var phone = await TestClient.ConnectAsync(cluster.A, "uma", listenTo: "Direct");
        await using var laptop = await TestClient.ConnectAsync(cluster.B, "uma", listenTo: "Direct");

        await cluster.B.Services.GetRequiredService<IHubContext<ObjectHub>>().Clients.User("uma").SendAsync("Direct", "hi uma");

        Assert.Equal("hi uma", (await phone.NextAsync("Direct")).GetString());
        Assert.Equal("hi uma", (await laptop.NextAsync("Direct")).GetString());
    }

    [Fact]
    public async Task ClientResults_WorkAcrossInstances_WithClientIds()
    {
        await using var onB = await TestClient.ConnectAsync(cluster.B, "answerer");
        onB.Connection.On("Ask", (string question) => $"answer to {question}");

        var answer = await HubOnA.Clients.Client(onB.ClientId).InvokeAsync<string>("Ask", "life", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("answer to life", answer);
    }

    [Fact]
    public async Task Client_AcceptsAPlainConnectionIdOfAnotherInstance()
    {
        await using var onB = await TestClient.ConnectAsync(cluster.B, "plain-id", listenTo: "Direct");

        await HubOnA.Clients.Client(onB.Connection.ConnectionId!).SendAsync("Direct", "by connection id");

        Assert.Equal("by connection id", (await onB.NextAsync("Direct")).GetString());
    }
}
