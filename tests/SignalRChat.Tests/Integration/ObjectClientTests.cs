using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>CallObject and CreateObject from server code, as an object calls them: the caller is an object, not a client.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ObjectClientTests(ClusterFixture cluster)
{
    private static readonly ObjectCaller Scheduler = ObjectCaller.Object("Scheduler-nightly");

    [Fact]
    public async Task CreateAndCall_FromAnObject_ReachTheSameActivationAsClients()
    {
        var objects = cluster.B.Services.GetRequiredService<ObjectClient>();
        await using var client = await TestClient.ConnectAsync(cluster.A, "object-client-member");

        var created = await objects.CreateAsync("ChatRoom", "ChatRoom-by-object", Json(new { title = "made by an object" }), Scheduler);
        await client.CallAsync("ChatRoom-by-object", "Join");
        await client.CallAsync("ChatRoom-by-object", "SendMessage", new { text = "seen by the object" });
        var page = await objects.CallAsync("ChatRoom-by-object", "GetMessages", Json(new { afterSeq = 0 }), Scheduler);

        Assert.True(created.Succeeded, created.Error);
        Assert.True(page.Succeeded, page.Error);
        using var document = JsonDocument.Parse(page.Json);
        Assert.Equal("seen by the object", document.RootElement.GetProperty("messages")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task AnObjectCaller_CannotActAsAClient()
    {
        var objects = cluster.A.Services.GetRequiredService<ObjectClient>();

        var result = await objects.CallAsync("ChatRoom-by-object-2", "Join", ReadOnlyMemory<byte>.Empty, Scheduler);

        Assert.Equal("Only a connected client can join in ChatRoom-by-object-2.", result.Error);
    }

    [Fact]
    public async Task BadCalls_FromServerCode_AreResults_NotExceptions()
    {
        var objects = cluster.A.Services.GetRequiredService<ObjectClient>();

        var result = await objects.CallAsync("nope", "Join", ReadOnlyMemory<byte>.Empty, Scheduler);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Invalid object ID 'nope'", result.Error);
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);
}
