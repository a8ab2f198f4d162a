using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>The executable stops on SIGTERM: cleanly with Redis up, and within its deadline when Redis is gone.</summary>
public sealed class ProcessShutdownTests
{
    [Fact]
    public async Task Sigterm_OfAnInstanceHosting1000Rooms_LetsClientsReconnect_RefusesNewOnes_AndExitsPromptly()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(redis.ConnectionString, "Cluster:ShutdownTimeout=00:00:15");
        var token = await TestClient.LoginAsync(hub.Url, "drain-dee");
        var reconnecting = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new HubConnectionBuilder()
            .WithUrl($"{hub.Url}/hub", options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect([TimeSpan.FromMinutes(1)]) // a reconnect allowed, and not tried within the test
            .Build();
        client.Reconnecting += error => { reconnecting.TrySetResult(error); return Task.CompletedTask; };
        await client.StartAsync();
        for (var i = 0; i < 1000; i += 50)
        {
            await Task.WhenAll(Enumerable.Range(i, 50).Select(n => client.InvokeAsync<object>("Call", $"ChatRoom-drain-{n}", "Join", null)));
        }

        var stopping = Stopwatch.StartNew();
        hub.Terminate();

        // Closed with a close message that allows reconnecting (an abnormal close would carry the transport's error).
        Assert.Null(await reconnecting.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        // Draining: a new connection is refused rather than taken in and dropped later.
        await using var late = new HubConnectionBuilder()
            .WithUrl($"{hub.Url}/hub", options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await Assert.ThrowsAnyAsync<Exception>(() => late.StartAsync());
        await hub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, hub.ExitCode);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopping.Elapsed}; the limit is Cluster:ShutdownTimeout, 15 s");
    }

    [Fact]
    public async Task Sigterm_WithRedisUp_StopsCleanly()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(redis.ConnectionString);

        hub.Terminate();

        await hub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, hub.ExitCode);
    }

    [Fact]
    public async Task Sigterm_AfterRedisIsGone_StillEndsTheProcessWithinTheDeadline()
    {
        var redis = await RedisServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(redis.ConnectionString, "Cluster:ShutdownTimeout=00:00:02");
        await redis.DisposeAsync();

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        hub.Terminate();

        // Deadline: 2 s graceful + 10 s grace. Without it Orleans retries the lost Redis for well over a minute.
        await hub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(12 + 5));
    }
}
