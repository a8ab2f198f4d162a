using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

// Applying a change: telling the zone, the followers and the user's own connections, and storing it.
public sealed partial class Player
{
    /// <summary>How long a change of status, text, activity or zone may wait to be stored: changes in between are written once.</summary>
    private static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(1);

    /// <summary>How long a push waits for room in a full outgoing buffer before it is dropped.</summary>
    private static readonly TimeSpan BackpressureWait = TimeSpan.FromSeconds(5);

    /// <summary>The most users one <c>PresenceChanged</c> push names.</summary>
    private const int PushChunk = 2000;

    private readonly SemaphoreSlim _followsWrite = new(1, 1);
    private IGrainTimer? _saveTimer;
    private bool _saveArmed;
    private bool _unsaved;

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
                await PushToUsersAsync(chunk, visible);
            }
        }
        var own = Own();
        if (own.DiffersFrom(ownBefore))
        {
            await TellOwnConnectionsAsync(own);
        }
    }

    /// <summary>Tells the user's connections their own presence; the calling connection has it as the call's result.</summary>
    private async Task TellOwnConnectionsAsync(Presence own)
    {
        if (CurrentCaller?.ClientId is not { } caller || !State.Connections.Contains(caller))
        {
            await PushToUsersAsync([User], own);
            return;
        }
        var others = State.Connections.Where(c => c != caller).ToArray();
        if (others.Length > 0)
        {
            await PushAsync(() => push.PushToClientsAsync(others, PresenceChangedMethod, own, PushPriority.Presence, subject: User));
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

    private Task PushToUsersAsync(IReadOnlyList<string> users, Presence presence) =>
        PushAsync(() => push.PushToUsersAsync(users, PresenceChangedMethod, presence, PushPriority.Presence, subject: User));

    /// <summary>
    /// Pushes the change. When the outgoing buffer is full the player waits for it (up to
    /// <see cref="BackpressureWait"/>), so an overloaded cluster slows the changes down instead of dropping them;
    /// past that, or on another failure, the push is dropped and logged: the change is kept, and a client that missed
    /// it reads it with <c>GetPresence</c>.
    /// </summary>
    private async Task PushAsync(Func<Task> send)
    {
        var waited = Stopwatch.StartNew();
        for (var pause = 5; ; pause = Math.Min(pause * 2, 200))
        {
            try
            {
                await send();
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
}
