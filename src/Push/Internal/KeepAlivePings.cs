using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Sends a hub's keep-alive pings in place of SignalR's heartbeat, spread evenly over the interval. SignalR checks
/// every connection once a second and pings each one every interval, whatever was sent to it: 10,000 connections on
/// an instance make a burst of about 670 writes each second, and whatever arrives meanwhile waits behind them. Here
/// each connection has a slot of <see cref="Tick"/> within the interval, given in turn as connections arrive, so a
/// tick pings that slot's connections, about (connections / slots) of them, and touches no other; and a connection the writer wrote to within half the interval gets
/// no ping that time, since its client heard from the server anyway. So a client hears from the server at least every
/// 1.5 intervals (SignalR: every interval and a second), within the server timeout clients are told to keep, twice the
/// interval. Transports that keep themselves alive (long polling) get no pings, as with SignalR.
/// </summary>
internal sealed class KeepAlivePings : IDisposable
{
    /// <summary>How often a slot of connections is pinged.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>What SignalR's own keep-alive is set to once this has taken over: longer than any connection lasts.</summary>
    public static readonly TimeSpan SignalROwnOff = TimeSpan.FromDays(365);

    /// <summary>The most slots: an interval longer than 10 minutes is pinged every 10 minutes.</summary>
    private const int MaxSlots = 6_000;

    private static readonly SerializedHubMessage Ping = new(PingMessage.Instance);
    private readonly ConcurrentDictionary<LocalConnection, byte>?[] _slots; // made when a connection first takes the slot
    private readonly long _recentMs;
    private readonly PeriodicTimer _timer = new(Tick);
    private long _assigned;

    public KeepAlivePings(TimeSpan interval)
    {
        _recentMs = (long)(interval.TotalMilliseconds / 2);
        _slots = new ConcurrentDictionary<LocalConnection, byte>?[(int)Math.Clamp(interval / Tick, 1, MaxSlots)];
        // A loop of this process's own, with no I/O to fail: it ends when the timer is disposed.
        _ = Task.Run(RunAsync);
    }

    /// <summary>Gives a new connection its slot, or none when its transport keeps itself alive.</summary>
    public void Add(LocalConnection connection, bool inherentKeepAlive)
    {
        if (inherentKeepAlive)
        {
            return;
        }
        var slot = (int)(Interlocked.Increment(ref _assigned) % _slots.Length);
        connection.KeepAliveSlot = slot;
        LazyInitializer.EnsureInitialized(ref _slots[slot]).TryAdd(connection, 0);
    }

    /// <summary>Takes a closed connection out of its slot.</summary>
    public void Remove(LocalConnection connection)
    {
        if (connection.KeepAliveSlot >= 0)
        {
            _slots[connection.KeepAliveSlot]?.TryRemove(connection, out _);
        }
    }

    public void Dispose() => _timer.Dispose();

    private async Task RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        long next = 0;
        while (await _timer.WaitForNextTickAsync())
        {
            // A tick the timer could not keep (a busy or paused process) is caught up, so that no slot waits a whole
            // interval more: that could outlast the client's server timeout, twice the interval by default.
            var due = (long)(Stopwatch.GetElapsedTime(started) / Tick);
            next = Math.Max(next, due - _slots.Length + 1);
            for (; next <= due; next++)
            {
                PingSlot(_slots[next % _slots.Length]);
            }
        }
    }

    private void PingSlot(ConcurrentDictionary<LocalConnection, byte>? slot)
    {
        if (slot is null)
        {
            return;
        }
        var now = Environment.TickCount64;
        foreach (var (connection, _) in slot)
        {
            if (Volatile.Read(ref connection.PendingBytes) > 0
                || now - Volatile.Read(ref connection.LastProgress) < _recentMs)
            {
                continue;
            }
            // Never throws: a failed write aborts the connection, as any write of SignalR's does.
            var write = connection.Context.WriteAsync(Ping);
            if (!write.IsCompletedSuccessfully)
            {
                _ = write.AsTask();
            }
        }
    }
}
