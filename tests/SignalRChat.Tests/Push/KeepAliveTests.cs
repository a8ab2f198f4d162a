using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignalRChat.Push.Internal;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Push;

/// <summary>
/// The lifetime manager sends the keep-alive pings itself (<see cref="KeepAlivePings"/>): spread over the hub's
/// <c>KeepAliveInterval</c> instead of in SignalR's once-a-second bursts, none to a client that was just written to,
/// and often enough that an idle official client stays connected.
/// </summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private static Task<BackplaneServer> StartAsync(TimeSpan? interval = null) =>
        BackplaneServer.StartAsync(redis: null, hub: options => options.KeepAliveInterval = interval ?? Interval);

    [Fact]
    public async Task ClientsConnectedTogether_ArePingedSpreadOverTheInterval_NotAllAtOnce()
    {
        await using var server = await StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => RawJsonClient.ConnectAsync(server)));
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Eventually.TrueAsync(() => clients.All(c => c.Pings.Count(t => t > started) >= 2), "every client pinged twice", TimeSpan.FromSeconds(20));

            // SignalR's own heartbeat pings all 60 in the same one of its once-a-second ticks (they connected within
            // one), so its pings fall into two or three 100 ms windows; here each tick pings one of 20 slots, 3 clients.
            var pings = clients.SelectMany(c => c.Pings).Where(t => t > started).ToArray();
            var windows = pings.Select(t => (t - started) * 10 / Stopwatch.Frequency).Distinct().Count();
            Assert.True(windows >= 10, $"{pings.Length} pings fell into only {windows} windows of 100 ms");
            // SignalR's pings are off: with both, each client would get about twice as many.
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Assert.True(pings.Length <= clients.Length * (seconds / Interval.TotalSeconds + 1),
                $"{pings.Length} pings to {clients.Length} clients in {seconds:F1} s, with one ping per client every {Interval.TotalSeconds} s");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AClientWrittenToWithinHalfTheInterval_GetsNoPing_AndOneOnceItIsIdle()
    {
        var interval = TimeSpan.FromSeconds(4);
        await using var server = await StartAsync(interval);
        await using var client = await RawJsonClient.ConnectAsync(server);

        // A push every 100 ms for one interval: its slot comes round once, with a write far less than 2 s old.
        var pushing = Stopwatch.StartNew();
        var from = Stopwatch.GetTimestamp();
        while (pushing.Elapsed < interval)
        {
            await server.Hub.Clients.Client(client.ClientId).SendAsync("Hello", "busy");
            await Task.Delay(100);
        }
        var until = Stopwatch.GetTimestamp();
        Assert.DoesNotContain(client.Pings, t => t > from && t < until);

        await Eventually.TrueAsync(() => client.Pings.Any(t => t > until), "a ping once idle", 3 * interval);
    }

    [Fact]
    public async Task AnIdleOfficialClient_StaysConnected_PastItsServerTimeout()
    {
        await using var server = await StartAsync();
        await using var client = await PlainClient.ConnectAsync(server, serverTimeout: 3 * Interval);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };

        // Two server timeouts of silence but for the pings: without them the client closes within the first.
        var outcome = await Task.WhenAny(closed.Task, Task.Delay(2 * client.Connection.ServerTimeout));

        Assert.NotSame(closed.Task, outcome);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, client.Connection.State);
    }

    [Fact]
    public async Task SignalRsOwnKeepAlive_IsTurnedOff_ForTheHub()
    {
        await using var server = await StartAsync();
        await using var client = await PlainClient.ConnectAsync(server);

        Assert.Equal(KeepAlivePings.SignalROwnOff, server.Services.GetRequiredService<IOptions<HubOptions<ConformanceHub>>>().Value.KeepAliveInterval);
    }
}
