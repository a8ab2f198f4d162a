using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SignalRChat.Push;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SignalRChat.Tests.Operations;

/// <summary>
/// Clients that all connect through one instance are spread over the cluster: the instance answers their negotiation
/// with SignalR's redirect to the least-loaded instance, which the official clients follow.
/// </summary>
public sealed class LoadBalancingTests(ITestOutputHelper output)
{
    /// <summary>The shipped threshold (the test fixtures turn the redirect off).</summary>
    private const string Balanced = "Cluster:RebalanceThreshold=0.1";
    private const int Users = 100;
    private const int ConnectionsPerUser = 10;

    [Fact]
    public async Task AThousandDotNetClients_ConnectingThroughOneInstance_EndUpWithinTenPercentOfEvenOverThree()
    {
        await using var cluster = await ThreeInstances.StartAsync(Balanced, $"Quotas:ConnectionsPerUser={ConnectionsPerUser}");
        var tokens = await Task.WhenAll(Enumerable.Range(0, Users).Select(u => TestClient.LoginAsync(cluster.A.Url, $"spread{u}")));
        List<HubConnection> connections = [];
        try
        {
            // 20 at a time, as a crowd arriving together would.
            foreach (var batch in Enumerable.Range(0, Users * ConnectionsPerUser).Chunk(20))
            {
                var started = batch.Select(async i =>
                {
                    var connection = new HubConnectionBuilder()
                        .WithUrl($"{cluster.A.Url}/hub", options => options.AccessTokenProvider = () => Task.FromResult<string?>(tokens[i % Users]))
                        .Build();
                    await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
                    return connection;
                });
                connections.AddRange(await Task.WhenAll(started));
            }

            // A client's start completes with the handshake, a moment before its instance counts the connection.
            int[] Counts() => cluster.Instances.Select(i => i.Services.GetRequiredService<ClusterInstances>().LocalConnections).ToArray();
            await Eventually.TrueAsync(() => Counts().Sum() == Users * ConnectionsPerUser, $"{Users * ConnectionsPerUser} connections counted");
            var counts = Counts();
            output.WriteLine($"connections per instance: {string.Join(", ", counts)}");
            var even = Users * ConnectionsPerUser / 3.0;
            Assert.All(counts, count => Assert.InRange(count, even * 0.9, even * 1.1));
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task JavaScriptClients_FollowTheRedirect_WhileClientsThatSkipNegotiationStayWhereTheyConnected()
    {
        await using var cluster = await ThreeInstances.StartAsync(Balanced);
        var token = await TestClient.LoginAsync(cluster.A.Url, "direct");
        List<TestClient> direct = [];
        try
        {
            // WebSockets without negotiation: nothing to redirect, so they stay on A and work as ever.
            for (var i = 0; i < 8; i++)
            {
                var connection = new HubConnectionBuilder().WithUrl($"{cluster.A.Url}/hub", options =>
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    options.SkipNegotiation = true;
                    options.Transports = HttpTransportType.WebSockets;
                }).Build();
                direct.Add(await TestClient.WrapAsync(connection, "direct"));
            }
            Assert.All(direct, client => Assert.Equal(cluster.A.InstanceId, client.InstanceId));
            await direct[0].CallAsync("ChatRoom-direct", "Join");
            await direct[1].CallAsync("ChatRoom-direct", "Join");
            await direct[0].CallAsync("ChatRoom-direct", "SendMessage", new { text = "still here" });
            Assert.Equal("still here", (await direct[1].NextAsync("NewMessage")).GetProperty("text").GetString());
            await Eventually.TrueAsync(() => cluster.A.LiveLoads.Single(l => l.InstanceId == cluster.A.InstanceId).Connections == 8,
                "A has published its 8 connections");

            await using var node = ScriptedProcess.Start("node", Path.Combine(RepoPaths.Root, "tests", "SignalRChat.Tests", "Node", "spread-clients.mjs"),
                cluster.A.Url, "nodejs", "6");
            List<string?> landed = [];
            for (var i = 0; i < 6; i++)
            {
                var line = await node.ExpectAsync(line => line.StartsWith("{\"instanceId\"", StringComparison.Ordinal), $"connection {i + 1} of 6");
                landed.Add(JsonDocument.Parse(line).RootElement.GetProperty("instanceId").GetString());
            }
            await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(node.ExitCode == 0, node.Transcript);

            // A holds 8, the others none: every negotiation through A is sent on, to both of the others.
            Assert.DoesNotContain(cluster.A.InstanceId, landed);
            Assert.InRange(landed.Count(id => id == cluster.Instances[1].InstanceId), 2, 4);
            Assert.InRange(landed.Count(id => id == cluster.Instances[2].InstanceId), 2, 4);
        }
        finally
        {
            foreach (var client in direct)
            {
                await client.DisposeAsync();
            }
        }
    }
}
