using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>The executable stops on SIGTERM: cleanly with Redis up, and within its deadline when Redis is gone.</summary>
public sealed class ProcessShutdownTests
{
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
