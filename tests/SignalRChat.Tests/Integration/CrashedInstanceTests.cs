using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Push;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>A hub instance that dies without closing its connections: its clients must not haunt rooms forever.</summary>
public sealed class CrashedInstanceTests
{
    [Fact]
    public async Task MembersOfACrashedInstance_AreForgotten_OnceItsHeartbeatExpires()
    {
        const string ttl = "Cluster:InstanceTtl=00:00:04";
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await HubInstance.StartAsync(redis.ConnectionString, ttl);
        await using var doomed = await HubProcess.StartAsync(redis.ConnectionString, ttl, "Cluster:Role=Hub");
        await using var alice = await TestClient.ConnectAsync(survivor, "alice");
        var ghost = await TestClient.ConnectAsync(doomed.Url, "ghost");
        await alice.CallAsync("ChatRoom-haunted", "Join");
        await ghost.CallAsync("ChatRoom-haunted", "Join");
        Assert.Equal(["alice", "ghost"], Names(await alice.CallAsync("ChatRoom-haunted", "ListMembers")));

        doomed.Crash();

        await Eventually.TrueAsync(async () => Names(await alice.CallAsync("ChatRoom-haunted", "ListMembers")).SequenceEqual(["alice"]),
            "the room forgets the crashed instance's member", TimeSpan.FromSeconds(30));
        await ghost.Connection.DisposeAsync();
    }

    [Fact]
    public async Task AnInstanceSilentLongerThanItsTtl_ClosesItsConnections_SoTheirClientsJoinAgain()
    {
        const string ttl = "Cluster:InstanceTtl=00:00:03";
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await HubInstance.StartAsync(redis.ConnectionString, ttl);
        await using var frozen = await HubProcess.StartAsync(redis.ConnectionString, ttl, "Cluster:Role=Hub");
        await using var alice = await TestClient.ConnectAsync(survivor, "alice");
        await using var sleeper = await TestClient.ConnectAsync(frozen.Url, "sleeper");
        await alice.CallAsync("ChatRoom-frozen", "Join");
        await sleeper.CallAsync("ChatRoom-frozen", "Join");
        var closed = new TaskCompletionSource();
        sleeper.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var directory = survivor.Services.GetRequiredService<ClusterInstances>();
        var frozenId = sleeper.InstanceId;

        frozen.Pause();
        try
        {
            await Eventually.TrueAsync(() => directory.IsGone(frozenId), "the survivor judges the frozen instance gone", TimeSpan.FromSeconds(30));
            Assert.Equal(["alice"], Names(await alice.CallAsync("ChatRoom-frozen", "ListMembers")));
        }
        finally
        {
            frozen.Resume();
        }

        // The room forgot the sleeper; its instance must not keep a connection that silently receives nothing.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static string[] Names(JsonElement members) => members.EnumerateArray().Select(m => m.GetString()!).ToArray();
}
