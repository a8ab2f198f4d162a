using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>The official JavaScript client (<c>@microsoft/signalr</c> under Node) with MessagePack, against the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JavaScriptClientTests(ClusterFixture cluster)
{
    [Fact]
    public async Task NodeClientWithMessagePack_JoinsSendsAndReceives_AcrossInstances()
    {
        const string room = "ChatRoom-node";
        await using var dotnet = await TestClient.ConnectAsync(cluster.B, "dotnet", Protocol.MessagePack);
        await dotnet.CallAsync(room, "Join");
        await using var node = ScriptedProcess.Start("node", Path.Combine(RepoPaths.Root, "tests", "SignalRChat.Tests", "Node", "msgpack-client.mjs"),
            cluster.A.Url, "nodejs", room);

        var registered = await NextStepAsync(node, "registered");
        Assert.Equal(cluster.A.InstanceId, registered.GetProperty("instanceId").GetString());
        Assert.Equal("nodejs", registered.GetProperty("user").GetString());
        var joined = await NextStepAsync(node, "joined");
        Assert.Equal(["dotnet", "nodejs"], joined.GetProperty("members").EnumerateArray().Select(m => m.GetString()));

        var sent = await dotnet.CallAsync(room, "SendMessage", new { text = "hello node, from .NET" });
        var received = await NextStepAsync(node, "received");
        Assert.Equal("hello node, from .NET", received.GetProperty("text").GetString());
        Assert.Equal(sent.GetProperty("seq").GetInt64(), received.GetProperty("seq").GetInt64());
        Assert.Equal(sent.GetProperty("timestamp").GetInt64(), received.GetProperty("timestamp").GetInt64());

        var fromNode = await dotnet.NextAsync("NewMessage");
        Assert.Equal("hello from node as nodejs", fromNode.GetProperty("text").GetString());
        Assert.Equal(sent.GetProperty("seq").GetInt64() + 1, (await NextStepAsync(node, "sent")).GetProperty("seq").GetInt64());
        Assert.EndsWith("HubException: ChatRoom has no method 'Jion'. Methods: Join, Leave, SendMessage, GetMessages, ListMembers, Typing, MarkRead, Kick, Mute, Unmute, Ban, Unban, SetModerator, SetPrivate, Allow, Disallow, GetModeration.",
            (await NextStepAsync(node, "refused")).GetString());
        await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(node.ExitCode == 0, node.Transcript);
    }

    private static async Task<JsonElement> NextStepAsync(ScriptedProcess node, string step)
    {
        var line = await node.ExpectAsync(line => line.StartsWith($"{{\"step\":\"{step}\"", StringComparison.Ordinal), $"step '{step}'");
        return JsonDocument.Parse(line).RootElement.GetProperty("value");
    }
}
