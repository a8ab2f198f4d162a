using Microsoft.Extensions.Logging;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

// Connections, online and offline, idle away, and the player's side of zones.
public sealed partial class Player
{
    /// <summary>The longest a player waits between checks while online, so its activation stays and gone instances are noticed.</summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>How many closed client IDs a player remembers, so a late call cannot count them as open again.</summary>
    private const int RecentlyClosedKept = 16;

    private IGrainTimer? _timer;
    private long? _emptySince; // Environment.TickCount64 when the last connection closed
    private readonly Queue<string> _recentlyClosed = new(); // a call still under way when its connection closed must not bring it back

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The status others see.</summary>
    private string VisibleStatus =>
        !State.Online || State.Status == PresenceStatus.Invisible ? PresenceStatus.Offline
        : State.Idle ? PresenceStatus.Away
        : State.Status;

    /// <summary>The status the user sees for themselves.</summary>
    private string OwnStatus =>
        !State.Online ? PresenceStatus.Offline
        : State.Idle && State.Status != PresenceStatus.Invisible ? PresenceStatus.Away
        : State.Status;

    private bool IdleApplies =>
        State.Online && State.Connections.Count > 0 && !State.Idle && State.LastActiveAt is not null
        && State.Status is not (PresenceStatus.Invisible or PresenceStatus.Away);

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Online && State.Connections.Count == 0)
        {
            // The activation that started the grace is gone: the grace starts again.
            _emptySince = Environment.TickCount64;
        }
        Reschedule();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved)
        {
            await SaveAsync();
        }
    }

    /// <inheritdoc/>
    async Task<string?> IPlayerGrain.ConnectionOpened(string clientId)
    {
        if (_recentlyClosed.Contains(clientId))
        {
            // A late notice (the hub retries one that failed) of a connection that has closed since.
            return null;
        }
        ForgetGoneConnections();
        var limit = quotas.Value.ConnectionsPerUser;
        if (State.Connections.Count >= limit && !State.Connections.Contains(clientId))
        {
            return $"{User} already has {State.Connections.Count} open connections, the most one user may have (Quotas:ConnectionsPerUser); close one first.";
        }
        await ChangeAsync(() =>
        {
            AddConnection(clientId);
            State.LastActiveAt = Now;
            State.Idle = false;
        });
        Reschedule();
        await ReplaySystemMessagesAsync(clientId);
        return null;
    }

    /// <inheritdoc/>
    async Task IPlayerGrain.ConnectionClosed(string clientId)
    {
        _recentlyClosed.Enqueue(clientId);
        if (_recentlyClosed.Count > RecentlyClosedKept)
        {
            _recentlyClosed.Dequeue();
        }
        if (State.Connections.Remove(clientId))
        {
            if (State.Connections.Count == 0)
            {
                _emptySince = Environment.TickCount64;
            }
            await SaveAsync();
        }
        Reschedule();
    }

    /// <inheritdoc/>
    async Task IPlayerGrain.Active()
    {
        if (!State.Online)
        {
            return;
        }
        State.LastActiveAt = Now;
        if (State.Idle)
        {
            await ChangeAsync(() => State.Idle = false);
        }
        Reschedule();
    }

    /// <inheritdoc/>
    async Task IPlayerGrain.InstanceGone(string instanceId)
    {
        if (State.Connections.RemoveWhere(id => id.StartsWith($"{instanceId}/", StringComparison.Ordinal)) > 0)
        {
            await AfterConnectionsLostAsync();
        }
    }

    /// <inheritdoc/>
    async Task<string?> IPlayerGrain.EnterZone(string zone)
    {
        if (!State.Online)
        {
            return null;
        }
        var previous = State.Zone;
        if (previous != zone)
        {
            if (previous is not null)
            {
                await LeaveZoneQuietlyAsync(previous);
            }
            await ChangeAsync(() => State.Zone = zone);
        }
        return VisibleStatus;
    }

    /// <inheritdoc/>
    async Task IPlayerGrain.LeaveZone(string zone)
    {
        if (State.Zone == zone)
        {
            await ChangeAsync(() => State.Zone = null);
        }
    }

    /// <summary>
    /// Checks that the caller is this player's user on a connection, and records the call as activity (a call on a
    /// connection the player has not heard of counts as that connection opening). Returns the user name.
    /// </summary>
    private async Task<string> OwnerCallAsync()
    {
        if (Caller is not { User: { } user, ClientId: { } clientId })
        {
            throw new ObjectCallException($"Only a connected client can call {Id}.");
        }
        if (user != User)
        {
            throw new ObjectCallException($"{Id} belongs to another user; call your own Player-{user}.");
        }
        // A call still under way when its connection closed is served, but does not count the connection as open.
        var closed = _recentlyClosed.Contains(clientId);
        if (!closed && (!State.Online || State.Idle || !State.Connections.Contains(clientId)))
        {
            await ChangeAsync(() =>
            {
                AddConnection(clientId);
                State.Idle = false;
            });
        }
        State.LastActiveAt = Now;
        Reschedule();
        return user;
    }

    private void AddConnection(string clientId)
    {
        State.Connections.Add(clientId);
        _emptySince = null;
        if (!State.Online)
        {
            // A session starts online; only invisibility carries over, so a reconnect never reveals the user.
            State.Online = true;
            State.Idle = false;
            if (State.Status != PresenceStatus.Invisible)
            {
                State.Status = PresenceStatus.Online;
            }
        }
    }

    /// <summary>Drops connections whose hub instance is gone (they closed without a notice). True when any were dropped.</summary>
    private bool ForgetGoneConnections() => State.Connections.RemoveWhere(id => !clients.MayBeConnected(id)) > 0;

    /// <summary>After connections closed without a notice: offline at once when none is left (the instance TTL was the grace).</summary>
    private async Task AfterConnectionsLostAsync()
    {
        if (State.Online && State.Connections.Count == 0)
        {
            await GoOfflineAsync();
        }
        else
        {
            await SaveAsync();
            Reschedule();
        }
    }

    private async Task GoOfflineAsync()
    {
        var zone = State.Zone;
        await ChangeAsync(() =>
        {
            State.Online = false;
            State.Idle = false;
            State.Activity = null;
            State.Zone = null;
            State.Connections.Clear();
        });
        _emptySince = null;
        if (zone is not null)
        {
            await LeaveZoneQuietlyAsync(zone);
        }
        TellPartyOffline();
        Reschedule();
    }

    /// <summary>Arms the one timer for the next deadline (offline grace, idle away, or the periodic check); none while offline.</summary>
    private void Reschedule()
    {
        if (!State.Online)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }
        var due = CheckInterval;
        if (State.Connections.Count == 0 && _emptySince is { } since)
        {
            due = Min(due, options.Value.OfflineGrace - TimeSpan.FromMilliseconds(Environment.TickCount64 - since));
        }
        else if (IdleApplies)
        {
            due = Min(due, options.Value.IdleAway - TimeSpan.FromMilliseconds(Now - State.LastActiveAt!.Value));
        }
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        // Ticks keep the activation: an online player's deadlines live in memory.
        _timer ??= this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (ForgetGoneConnections())
            {
                await AfterConnectionsLostAsync();
            }
            else if (State.Online && State.Connections.Count == 0)
            {
                _emptySince ??= Environment.TickCount64;
                if (Environment.TickCount64 - _emptySince >= (long)options.Value.OfflineGrace.TotalMilliseconds)
                {
                    await GoOfflineAsync();
                }
            }
            else if (IdleApplies && Now - State.LastActiveAt >= (long)options.Value.IdleAway.TotalMilliseconds)
            {
                await ChangeAsync(() => State.Idle = true);
            }
        }
        finally
        {
            // Whatever failed, the next deadline stays armed.
            Reschedule();
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
