using System.Text;
using MessagePack;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Load.Crowd;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;
using SignalRChat.Tests.Presence;

namespace SignalRChat.Tests.Load;

/// <summary>The benchmark's minimal client receives exactly what the official client receives.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MinimalHubClientTests(ClusterFixture cluster)
{
    [Theory]
    [InlineData(Protocol.Json)]
    [InlineData(Protocol.MessagePack)]
    public async Task MinimalClient_ReceivesTheSameInvocationsAsTheOfficialClient_InTheSameOrder(Protocol protocol)
    {
        var messagePack = protocol == Protocol.MessagePack;
        await using var official = await TestClient.ConnectAsync(cluster.B, "official", protocol, listenTo: ["Probe"]);
        var sink = new CapturingSink(messagePack);
        var token = await TestClient.LoginAsync(cluster.B.Url, "minimal");
        await using var minimal = await MinimalHubClient.ConnectAsync($"{cluster.B.Url}/hub", token, HubFrames.For(messagePack), sink);
        Assert.StartsWith($"{cluster.B.InstanceId}/", minimal.ClientId);

        // Pushed from the other instance, across the backplane: small and large (beyond the client's first buffer),
        // escapes, non-ASCII text, nesting, 64-bit numbers, nulls.
        var push = cluster.A.Services.GetRequiredService<IClientPush>();
        var payloads = Enumerable.Range(1, 60).Select(i => (object)new
        {
            seq = i,
            big = long.MaxValue - i,
            text = i % 7 == 0 ? new string('é', 3000 + i) : $"line \"{i}\"\n\t€ ✓",
            nested = new { list = new[] { i, -i }, none = (string?)null, flag = i % 2 == 0 },
        }).ToList();
        foreach (var payload in payloads)
        {
            await push.PushToClientsAsync([official.ClientId, minimal.ClientId], "Probe", payload);
        }

        var expected = new List<JsonElement>();
        for (var i = 0; i < payloads.Count; i++)
        {
            expected.Add(await official.NextAsync("Probe"));
        }
        await Eventually.TrueAsync(() => sink.Count("Probe") >= payloads.Count, "the minimal client received every push");
        var received = sink.Arguments("Probe");
        Assert.Equal(payloads.Count, received.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonElement.DeepEquals(expected[i], received[i][0]), $"push {i + 1} differs:\n{expected[i]}\n{received[i][0]}");
        }
    }

    [Theory]
    [InlineData(Protocol.Json)]
    [InlineData(Protocol.MessagePack)]
    public async Task MinimalClient_Invokes_AndCompletesWithTheServersErrorOrNone(Protocol protocol)
    {
        var messagePack = protocol == Protocol.MessagePack;
        await using var official = await TestClient.ConnectAsync(cluster.A, "mini-watcher", protocol, listenTo: ["PresenceChanged"]);
        var token = await TestClient.LoginAsync(cluster.B.Url, $"mini-caller-{protocol}");
        await using var minimal = await MinimalHubClient.ConnectAsync($"{cluster.B.Url}/hub", token, HubFrames.For(messagePack), new CapturingSink(messagePack));
        await official.FollowAsync($"mini-caller-{protocol}");

        var ok = minimal.InvokeAsync("Call", [$"Player-mini-caller-{protocol}", "SetStatus", new { status = "busy", text = "from the minimal client" }]);
        var refused = minimal.InvokeAsync("Call", [$"Player-mini-caller-{protocol}", "SetStatus", new { status = "sleeping" }]);

        Assert.Null(await ok.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.EndsWith("status must be one of online, away, busy, in-game, in-menu, invisible; it was 'sleeping'.", await refused.WaitAsync(TimeSpan.FromSeconds(15)));
        var change = await official.PresenceChangeAsync($"mini-caller-{protocol}", "busy");
        Assert.Equal("from the minimal client", change.GetProperty("text").GetString());
    }

    /// <summary>Keeps every invocation, its arguments turned into JSON.</summary>
    private sealed class CapturingSink(bool messagePack) : IInvocationSink
    {
        private readonly List<(string Target, JsonElement Arguments)> _invocations = [];

        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            var json = messagePack ? MessagePackSerializer.ConvertToJson(arguments) : Encoding.UTF8.GetString(arguments.Span);
            lock (_invocations)
            {
                _invocations.Add((Encoding.UTF8.GetString(target), JsonDocument.Parse(json).RootElement.Clone()));
            }
        }

        public int Count(string target)
        {
            lock (_invocations)
            {
                return _invocations.Count(i => i.Target == target);
            }
        }

        public List<JsonElement> Arguments(string target)
        {
            lock (_invocations)
            {
                return [.. _invocations.Where(i => i.Target == target).Select(i => i.Arguments)];
            }
        }
    }
}
