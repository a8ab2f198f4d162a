using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using SignalRChat.Hub.Hosting;
using SignalRChat.Hub.Security;
using SignalRChat.Load.Cluster;
using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;
using StackExchange.Redis;

namespace SignalRChat.Tests.Security;

/// <summary>What stands between the cluster's internals and anyone who reaches them: the cluster secret on object
/// calls, Redis' passwords, and stored state that names no .NET type.</summary>
public sealed class ProtectedInternalsTests
{
    [Fact]
    public async Task AnOrleansClientWithoutTheClusterSecret_IsRefused_AndOneWithIt_IsServed()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        var gatewayPort = cluster.A.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.GatewayPort;
        var foreign = Host.CreateApplicationBuilder();
        foreign.UseOrleansClient(client => client
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort))
            .Configure<Orleans.Configuration.ClusterOptions>(options => options.ClusterId = options.ServiceId = "signalrchat"));
        using var host = foreign.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var room = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IObjectGrain>(ObjectId.Parse("ChatRoom-guarded").ToGrainId());
        var join = Encoding.UTF8.GetBytes("{}");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => room.Call("Join", join, ObjectCaller.Client("alice", "forged/1")).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("did not carry this cluster's secret", refused.Message);
        await using var bob = await TestClient.ConnectAsync(cluster.B, "bob");
        var members = await bob.CallAsync("ChatRoom-guarded", "ListMembers");
        Assert.Empty(members.EnumerateArray());

        // The same call with the secret is served: the refusal above is the secret's doing.
        RequestContext.Set(ClusterSecretFilter.Key, LocalSecrets.ClusterSecret);
        var served = await room.Call("Join", join, ObjectCaller.Client("alice", "forged/1")).WaitAsync(TimeSpan.FromSeconds(30));
        RequestContext.Clear();
        Assert.Null(served.Error);
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Redis_RequiresThePassword_AndTheApplicationsUserHasNoAdministrativeCommands()
    {
        await using var redis = await SignalRChat.Tests.Infrastructure.RedisServer.StartAsync();

        Assert.StartsWith("-NOAUTH", await AnonymousReplyAsync(redis.Port, "PING"));

        await using var application = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.True(await application.GetDatabase().StringSetAsync("k", "v"));
        foreach (var command in new[] { new object[] { "FLUSHALL" }, ["CONFIG", "SET", "requirepass", ""], ["SHUTDOWN"], ["ACL", "LIST"] })
        {
            var denied = await Assert.ThrowsAsync<RedisServerException>(() => application.GetDatabase().ExecuteAsync((string)command[0], command[1..]));
            Assert.Contains("NOPERM", denied.Message);
        }
        Assert.Equal("v", (string?)await redis.Admin.GetDatabase().StringGetAsync("k"));
    }

    [Fact]
    public async Task StoredObjectState_NamesNoType_AndStateStoredByEarlierVersions_IsStillRead()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await using (var alice = await TestClient.ConnectAsync(cluster.A, "alice"))
        {
            await alice.CreateAsync("ChatRoom", "ChatRoom-plain", new { title = "Plain" });
            await alice.CreateAsync("Guild", "Guild-plain", new { name = "Plain" });
            await alice.CallAsync("Player-alice", "SetStatus", new { status = "busy", text = "reading" });
        }
        var states = await StoredStatesAsync(cluster.Redis);
        Assert.True(states.Count >= 3, $"expected the room, guild and player states, found {states.Count}");
        Assert.All(states, state => Assert.DoesNotContain("$type", state.Value));
        var roomKey = Assert.Single(states, state => state.Value.Contains("\"Title\":\"Plain\"")).Key;

        // An earlier version stored Newtonsoft JSON with type names: write the room that way, as an upgrade finds it.
        var earlier = cluster.A.Services.GetRequiredService<IGrainStorageSerializer>();
        var legacy = earlier.Serialize(new ChatRoomState { Title = "Stored by an earlier version", CreatedBy = "alice" }).ToString();
        Assert.Contains("$type", legacy);
        await cluster.RestartInstancesAsync();
        await cluster.Redis.Admin.GetDatabase().HashSetAsync(roomKey, "data", legacy);

        await using var bob = await TestClient.ConnectAsync(cluster.B, "bob");
        var joined = await bob.CallAsync("ChatRoom-plain", "Join");
        Assert.Equal("Stored by an earlier version", joined.GetProperty("title").GetString());
        // Its next write stores the new form.
        Assert.DoesNotContain("$type", (string?)await cluster.Redis.Admin.GetDatabase().HashGetAsync(roomKey, "data"));
    }

    /// <summary>What Redis answers a connection that did not authenticate.</summary>
    private static async Task<string> AnonymousReplyAsync(int port, string command)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{command}\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)) ?? "";
    }

    /// <summary>Every grain state Orleans stored: hashes with a <c>data</c> field.</summary>
    private static async Task<Dictionary<string, string>> StoredStatesAsync(SignalRChat.Tests.Infrastructure.RedisServer redis)
    {
        var states = new Dictionary<string, string>();
        await foreach (var key in redis.AdminServer.KeysAsync(pattern: "*"))
        {
            if (await redis.Admin.GetDatabase().KeyTypeAsync(key) == RedisType.Hash
                && await redis.Admin.GetDatabase().HashGetAsync(key, "data") is { HasValue: true } data)
            {
                states[key!] = data!;
            }
        }
        return states;
    }
}
