using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

// Connections, online and offline, idle away, zones, and telling followers about changes.
public sealed partial class Player
{
    /// <summary>The longest a player waits between checks while online, so its activation stays and gone instances are noticed.</summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>How long a change of status, text, activity or zone may wait to be stored: changes in between are written once.</summary>
    private static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(1);

    /// <summary>How long a push waits for room in a full outgoing buffer before it is dropped.</summary>
    private static readonly TimeSpan BackpressureWait = TimeSpan.FromSeconds(5);

    /// <summary>How many closed client IDs a player remembers, so a late call cannot count them as open again.</summary>
    private const int RecentlyClosedKept = 16;

    /// <summary>The most users one <c>PresenceChanged</c> push names.</summary>
    private const int PushChunk = 2000;

    private readonly SemaphoreSlim _followsWrite = new(1, 1);
    private IGrainTimer? _timer;
    private IGrainTimer? _saveTimer;
    private bool _saveArmed;
    private bool _unsaved;
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
    async Task IPlayerGrain.ConnectionOpened(string clientId)
    {
        ForgetGoneConnections();
        await ChangeAsync(() =>
        {
            AddConnection(clientId);
            State.LastActiveAt = Now;
            State.Idle = false;
        });
        Reschedule();
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

    /// <summary>
    /// Applies a change, stores it, and tells whoever sees a difference: the zone (the status its members see),
    /// the followers (<see cref="Visible"/>) and the user's own connections (<see cref="Own"/>). Changes to the
    /// connections are stored before anyone is told, since a player reactivated after a crash goes by them; status,
    /// text, activity and zone within <see cref="WriteBehind"/> (a process that crashes meanwhile loses them).
    /// </summary>
    private async Task ChangeAsync(Action change)
    {
        var visibleBefore = Visible();
        var ownBefore = Own();
        var zoneBefore = State.Zone;
        var (onlineBefore, connectionsBefore) = (State.Online, State.Connections.Count);
        change();
        if (visibleBefore.Status != PresenceStatus.Offline && VisibleStatus == PresenceStatus.Offline)
        {
            State.LastSeen = Now;
        }
        if (State.Zone is { } zone && zone == zoneBefore && VisibleStatus != visibleBefore.Status && !await TellZoneStatusAsync(zone))
        {
            // The zone lost its members (its process stopped): the user is in no zone now.
            State.Zone = null;
        }
        if (State.Online != onlineBefore || State.Connections.Count != connectionsBefore)
        {
            await SaveAsync();
        }
        else
        {
            SaveSoon();
        }

        var visible = Visible();
        if (visible.DiffersFrom(visibleBefore) && Follows.Followers.Count > 0)
        {
            // A copy: follower notices interleave with the pushes' awaits and change the set.
            foreach (var chunk in Follows.Followers.ToArray().Chunk(PushChunk))
            {
                await PushAsync(chunk, visible);
            }
        }
        var own = Own();
        // The calling connection has the change as the call's result: tell the user's connections only if there are others.
        var onlyTheCaller = State.Connections.Count == 1 && CurrentCaller?.ClientId is { } caller && State.Connections.Contains(caller);
        if (own.DiffersFrom(ownBefore) && !onlyTheCaller)
        {
            await PushAsync([User], own);
        }
    }

    private Presence Visible() => VisibleStatus == PresenceStatus.Offline
        ? Presence.OfflineOf(User, State.LastSeen)
        : new Presence(User, VisibleStatus, State.Text, State.Activity, State.Zone, State.LastActiveAt, State.LastSeen);

    private Presence Own() => new(User, OwnStatus, State.Text, State.Activity, State.Zone, State.LastActiveAt, State.LastSeen);

    private async Task<bool> TellZoneStatusAsync(string zone)
    {
        try
        {
            return await ZoneOf(zone).UpdateStatus(User, VisibleStatus);
        }
        catch (Exception e)
        {
            ObjectsLog.NoticeFailed(logger, e, Id.ToString(), zone);
            return true;
        }
    }

    private async Task LeaveZoneQuietlyAsync(string zone)
    {
        try
        {
            await ZoneOf(zone).RemovePlayer(User);
        }
        catch (Exception e)
        {
            ObjectsLog.NoticeFailed(logger, e, Id.ToString(), zone);
        }
    }

    /// <summary>
    /// Pushes the change. When the outgoing buffer is full the player waits for it (up to
    /// <see cref="BackpressureWait"/>), so an overloaded cluster slows the changes down instead of dropping them;
    /// past that, or on another failure, the push is dropped and logged: the change is kept, and a client that missed
    /// it reads it with <c>GetPresence</c>.
    /// </summary>
    private async Task PushAsync(IReadOnlyList<string> users, Presence payload)
    {
        var waited = Stopwatch.StartNew();
        for (var pause = 5; ; pause = Math.Min(pause * 2, 200))
        {
            try
            {
                await push.PushToUsersAsync(users, PresenceChangedMethod, payload);
                return;
            }
            catch (PushBackpressureException) when (waited.Elapsed < BackpressureWait)
            {
                await Task.Delay(pause);
            }
            catch (Exception e)
            {
                ObjectsLog.PushFailed(logger, Id.ToString(), PresenceChangedMethod, e.Message);
                return;
            }
        }
    }

    /// <summary>Writes the presence within <see cref="WriteBehind"/>, once for every change until then.</summary>
    private void SaveSoon()
    {
        _unsaved = true;
        if (_saveArmed)
        {
            return;
        }
        _saveArmed = true;
        _saveTimer ??= this.RegisterGrainTimer(async _ =>
        {
            _saveArmed = false;
            if (_unsaved)
            {
                await SaveAsync();
            }
        }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _saveTimer.Change(WriteBehind, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Writes the presence; when that fails, the activation goes away so the next call reloads what is stored.</summary>
    private async Task SaveAsync()
    {
        _unsaved = false;
        try
        {
            await presence.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Writes the follow lists, one write at a time: interleaved follower notices write them too.</summary>
    private async Task SaveFollowsAsync()
    {
        await _followsWrite.WaitAsync();
        try
        {
            await follows.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _followsWrite.Release();
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
