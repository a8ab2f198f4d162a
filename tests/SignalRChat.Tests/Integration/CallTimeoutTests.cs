using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>Calls into a frozen host end within <c>Objects:CallTimeout</c> with a temporary error, and work again once
/// the host is back.</summary>
public sealed class CallTimeoutTests
{
    [Fact]
    public async Task CallsToObjectsOnAPausedSilo_FailWithinTheCallTimeout_AsTemporaryWithTheOutcomeUnknown()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var survivor = await HubInstance.StartAsync(redis.ConnectionString, "Objects:CallTimeout=00:00:01");
        await using var frozen = await HubProcess.StartAsync(redis.ConnectionString);
        await using var there = await TestClient.ConnectAsync(frozen.Url, "tm-there");
        // Twenty rooms made from the process's side: some live on its silo, and some have their directory entry there.
        // One client each on the other instance: a connection runs one call at a time, so calls of one client queue.
        var rooms = Enumerable.Range(0, 20).Select(i => $"ChatRoom-timeout-{i}").ToList();
        var clients = new List<TestClient>();
        foreach (var room in rooms)
        {
            await there.CallAsync(room, "Join");
            clients.Add(await TestClient.ConnectAsync(survivor, $"tm-here-{clients.Count}"));
        }

        frozen.Pause();
        List<(TimeSpan Took, string? Error)> outcomes;
        try
        {
            outcomes = [.. await Task.WhenAll(rooms.Select(async (room, i) =>
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    await clients[i].CallAsync(room, "GetMessages", new { afterSeq = 0 });
                    return (watch.Elapsed, (string?)null);
                }
                catch (HubException e)
                {
                    return (watch.Elapsed, e.Message);
                }
            }))];
        }
        finally
        {
            frozen.Resume();
        }

        Assert.All(outcomes, o => Assert.True(o.Took < TimeSpan.FromSeconds(3), $"a call took {o.Took}"));
        var timedOut = outcomes.Where(o => o.Error is not null).ToList();
        Assert.NotEmpty(timedOut);
        Assert.All(timedOut, o => Assert.Contains(
            "[temporary] ChatRoom.GetMessages on ChatRoom-timeout-", o.Error));
        Assert.All(timedOut, o => Assert.Contains(
            "did not complete within 1 s; whether it took effect is unknown: retry (with the same clientMessageId).", o.Error));
        // The same client, and the rooms, work again once the host is back.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await clients[0].CallAsync(rooms[0], "GetMessages", new { afterSeq = 0 });
                return true;
            }
            catch (HubException)
            {
                return false;
            }
        }, "a call succeeding after the resume", TimeSpan.FromSeconds(30));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task APausedSilo_IsDeclaredDeadInAboutTenSeconds()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var paused = await HubProcess.StartAsync(redis.ConnectionString);
        await using var other = await HubProcess.StartAsync(redis.ConnectionString);
        await using var observer = await HubInstance.StartAsync(redis.ConnectionString);
        var management = observer.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        Assert.Equal(3, (await management.GetHosts(onlyActive: true)).Count);

        paused.Pause();
        var watch = Stopwatch.StartNew();
        try
        {
            // Two silos must agree: the observer and the other process.
            await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2,
                "the paused silo declared dead", TimeSpan.FromSeconds(30));
        }
        finally
        {
            paused.Resume();
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"declared dead after {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
