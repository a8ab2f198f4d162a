using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Zones;

/// <summary>
/// A zone of the game world (<c>Zone-{id}</c>): the users in it with their positions, <c>ZonePresence</c> batches of
/// who entered and left, and proximity (<c>Nearby</c>, <c>SayNearby</c>) over a spatial grid. Membership lives in
/// memory: positions change many times a second and are worth nothing after a restart.
/// </summary>
[ObjectType(TypeName)]
public sealed class Zone(IClientPush push, IOptions<ZoneOptions> options, ILogger<Zone> logger) : ObjectGrain, IZoneGrain
{
    /// <summary>The object type name.</summary>
    public const string TypeName = "Zone";

    /// <summary>The largest absolute coordinate.</summary>
    public const double MaxCoordinate = 1_000_000;

    /// <summary>The largest radius of <c>Nearby</c> and <c>SayNearby</c>.</summary>
    public const double MaxRadius = 3_000_000;

    /// <summary>The most players one <c>Nearby</c> returns.</summary>
    public const int MaxNearbyLimit = 500;

    /// <summary>The number of players <c>Nearby</c> returns when the call names no limit.</summary>
    public const int DefaultNearbyLimit = 50;

    /// <summary>The most players <c>Enter</c> returns: the nearest ones. <c>ListPlayers</c> returns everyone.</summary>
    public const int MaxEnterPlayers = 500;

    /// <summary>The longest <c>SayNearby</c> text, in characters.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The client method batches of entered and left users are pushed with.</summary>
    public const string ZonePresenceMethod = "ZonePresence";

    /// <summary>The client method proximity chat is pushed with.</summary>
    public const string NearbyMessageMethod = "NearbyMessage";

    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, ZoneMember> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _entered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _left = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingMoves = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingEnter> _entering = new(StringComparer.Ordinal);
    private SpatialGrid? _grid;
    private IGrainTimer? _flushTimer;
    private bool _flushArmed;
    private long? _lastPresencePush; // Environment.TickCount64 of the last ZonePresence
    // The last ZonePresence's seq. From the clock, so that an activation's batches number above those of one before it.
    private long _presenceSeq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private IGrainTimer? _keepAlive;

    /// <inheritdoc/>
    protected override bool Exists => false;

    private ZoneOptions Settings => options.Value;

    private SpatialGrid Grid => _grid ??= new SpatialGrid(Settings.CellSize);

    /// <summary>Puts the caller's user in the zone at a position, leaving any other zone; returns the nearest players
    /// (at most <see cref="MaxEnterPlayers"/>, the caller among them) and how many the zone holds.</summary>
    [ObjectMethod]
    public async Task<ZoneSnapshot> Enter(PositionArgs args)
    {
        var user = RequireClient("enter");
        CheckPosition(args.X, args.Y);
        if (!_members.ContainsKey(user) && _members.Count >= Settings.MaxPlayers)
        {
            throw new ObjectCallException($"{Id} is full ({Settings.MaxPlayers} players).");
        }
        // The player's notices interleave with this wait: they land on the pending entry.
        var pending = _entering[user] = new PendingEnter();
        string? status;
        try
        {
            status = await ObjectOf<IPlayerGrain>(Player.IdOf(user)).EnterZone(Id.ToString());
        }
        finally
        {
            _entering.Remove(user);
        }
        if (status is null)
        {
            throw new ObjectCallException($"{user} is offline: connect before entering {Id}.");
        }
        if (pending.Cancelled)
        {
            throw new ObjectCallException($"{user} went offline or entered another zone while entering {Id}.");
        }
        status = pending.Status ?? status;
        if (!_members.TryGetValue(user, out var member))
        {
            member = new ZoneMember(user);
            _members.Add(user, member);
            if (IsSeen(status))
            {
                Announce(user, entered: true);
            }
            _keepAlive ??= this.RegisterGrainTimer(_ => Task.CompletedTask, new GrainTimerCreationOptions(KeepAliveInterval, KeepAliveInterval) { KeepAlive = true });
        }
        else if (IsSeen(status) != IsSeen(member.Status))
        {
            Announce(user, entered: IsSeen(status));
        }
        member.Status = status;
        member.Pending = null;
        _pendingMoves.Remove(user);
        Place(member, args.X, args.Y);
        var nearest = Grid.Nearest(args.X, args.Y, MaxRadius, MaxEnterPlayers, exclude: null, hidden: id => IsHiddenFrom(id, user));
        return new ZoneSnapshot(Id.ToString(), nearest.Select(p => _members[p.Id].ToPlayer()).ToList(), _members.Count, _presenceSeq);
    }

    /// <summary>Takes the caller's user out of the zone.</summary>
    [ObjectMethod]
    public async Task Leave()
    {
        var user = RequireClient("leave");
        RemoveMember(user);
        await ObjectOf<IPlayerGrain>(Player.IdOf(user)).LeaveZone(Id.ToString());
    }

    /// <summary>Moves the caller's user; over <c>Zones:MaxMovesPerSecond</c> the position waits as the latest one.</summary>
    [ObjectMethod]
    public Task<MoveResult> Move(PositionArgs args)
    {
        var member = RequireMember("move");
        CheckPosition(args.X, args.Y);
        var now = Environment.TickCount64;
        if (now - member.WindowStart >= 1000)
        {
            member.WindowStart = now;
            member.MovesInWindow = 0;
        }
        if (member.MovesInWindow < Settings.MaxMovesPerSecond)
        {
            member.MovesInWindow++;
            member.Pending = null;
            _pendingMoves.Remove(member.User);
            Place(member, args.X, args.Y);
            return Task.FromResult(new MoveResult(true));
        }
        member.Pending = (args.X, args.Y);
        _pendingMoves.Add(member.User);
        ScheduleFlush();
        return Task.FromResult(new MoveResult(false));
    }

    /// <summary>Everyone in the zone, with status and position.</summary>
    [ObjectMethod]
    public Task<ZoneSnapshot> ListPlayers()
    {
        var user = RequireClient("list the players of");
        var players = _members.Values.Where(m => !IsHiddenFrom(m.User, user)).Select(m => m.ToPlayer()).ToList();
        return Task.FromResult(new ZoneSnapshot(Id.ToString(), players, _members.Count, _presenceSeq));
    }

    /// <summary>The players within <c>radius</c> of the caller, nearest first, without the caller.</summary>
    [ObjectMethod]
    public Task<IReadOnlyList<NearbyPlayer>> Nearby(NearbyArgs args)
    {
        var member = RequireMember("ask who is nearby");
        CheckRadius(args.Radius);
        if (args.Limit is < 1 or > MaxNearbyLimit)
        {
            throw new ObjectCallException($"limit must be between 1 and {MaxNearbyLimit}; it was {args.Limit}.");
        }
        var found = Grid.Within(member.X, member.Y, args.Radius, args.Limit, member.User, hidden: id => IsHiddenFrom(id, member.User));
        return Task.FromResult<IReadOnlyList<NearbyPlayer>>(found.Select(p => NearbyOf(_members[p.Id], p.Distance)).ToList());
    }

    /// <summary>Pushes <c>NearbyMessage</c> to every other user within <c>radius</c> of the caller, in one push.</summary>
    [ObjectMethod]
    public async Task<SaidNearby> SayNearby(SayNearbyArgs args)
    {
        var member = RequireMember("talk nearby");
        CheckRadius(args.Radius);
        var text = args.Text.Trim();
        if (text.Length == 0)
        {
            throw new ObjectCallException("text must not be empty.");
        }
        TextRules.Check("text", text, MaxTextLength, allowLineBreaks: true);
        var recipients = Grid.Within(member.X, member.Y, args.Radius, int.MaxValue, member.User).Select(p => p.Id).ToList();
        var message = new NearbyMessage(Id.ToString(), member.User, text, member.X, member.Y, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        try
        {
            await push.PushToUsersAsync(recipients, NearbyMessageMethod, message);
        }
        catch (PushBackpressureException e)
        {
            throw new ObjectCallException($"The message was not delivered: {e.Message}");
        }
        return new SaidNearby(message, recipients.Count);
    }

    /// <inheritdoc/>
    Task IZoneGrain.RemovePlayer(string user)
    {
        if (_entering.TryGetValue(user, out var pending))
        {
            pending.Cancelled = true;
        }
        RemoveMember(user);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    Task<bool> IZoneGrain.UpdateStatus(string user, string status)
    {
        if (_entering.TryGetValue(user, out var pending))
        {
            pending.Status = status;
            return Task.FromResult(true);
        }
        if (!_members.TryGetValue(user, out var member))
        {
            return Task.FromResult(false);
        }
        if (IsSeen(status) != IsSeen(member.Status))
        {
            // Turning invisible looks like leaving to the others; turning visible again, like entering.
            Announce(user, entered: IsSeen(status));
        }
        member.Status = status;
        return Task.FromResult(true);
    }

    private void Place(ZoneMember member, double x, double y)
    {
        member.X = x;
        member.Y = y;
        Grid.Set(member.User, x, y);
    }

    private void RemoveMember(string user)
    {
        if (!_members.Remove(user, out var member))
        {
            return;
        }
        Grid.Remove(user);
        _pendingMoves.Remove(user);
        if (IsSeen(member.Status))
        {
            Announce(user, entered: false);
        }
        if (_members.Count == 0)
        {
            _keepAlive?.Dispose();
            _keepAlive = null;
        }
    }

    /// <summary>Arms the flush: at once when the last <c>ZonePresence</c> is older than the interval, else when it is.</summary>
    private void ScheduleFlush()
    {
        if (_flushArmed)
        {
            return;
        }
        _flushArmed = true;
        var interval = Settings.PresenceInterval;
        var due = _entered.Count + _left.Count == 0 ? interval
            : _lastPresencePush is { } last ? interval - TimeSpan.FromMilliseconds(Environment.TickCount64 - last)
            : TimeSpan.Zero;
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        _flushTimer ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _flushTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Applies waiting moves whose second is over, and pushes one <c>ZonePresence</c> for the changes since the last.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _flushArmed = false;
        var now = Environment.TickCount64;
        foreach (var user in _pendingMoves.ToList())
        {
            var member = _members[user];
            if (now - member.WindowStart >= 1000 && member.Pending is { } position)
            {
                member.WindowStart = now;
                member.MovesInWindow = 1;
                member.Pending = null;
                _pendingMoves.Remove(user);
                Place(member, position.X, position.Y);
            }
        }
        if (_entered.Count + _left.Count > 0)
        {
            var batch = new ZonePresence(Id.ToString(), [.. _entered], [.. _left], ++_presenceSeq);
            _entered.Clear();
            _left.Clear();
            _lastPresencePush = now;
            try
            {
                await push.PushToUsersAsync([.. _members.Keys], ZonePresenceMethod, batch, PushPriority.Presence);
            }
            catch (Exception e)
            {
                ObjectsLog.PushFailed(logger, Id.ToString(), ZonePresenceMethod, e.Message);
            }
        }
        if (_pendingMoves.Count > 0 || _entered.Count + _left.Count > 0)
        {
            ScheduleFlush();
        }
    }

    /// <summary>Records for the next <c>ZonePresence</c> that others now see the user (entered) or no longer (left).</summary>
    private void Announce(string user, bool entered)
    {
        var (add, undo) = entered ? (_entered, _left) : (_left, _entered);
        if (!undo.Remove(user))
        {
            add.Add(user);
        }
        ScheduleFlush();
    }

    /// <summary>Whether others see a member with this status: an invisible user's status shows as offline.</summary>
    private static bool IsSeen(string status) => status != PresenceStatus.Offline;

    private bool IsHiddenFrom(string member, string viewer) => member != viewer && !IsSeen(_members[member].Status);

    /// <summary>An <c>Enter</c> waiting for the player: notices that arrive meanwhile are kept here.</summary>
    private sealed class PendingEnter
    {
        public string? Status { get; set; }

        public bool Cancelled { get; set; }
    }

    private static NearbyPlayer NearbyOf(ZoneMember member, double distance) => new(member.User, member.Status, member.X, member.Y, distance);

    /// <summary>The calling user; <paramref name="action"/> completes "Only a connected client can … Zone-x".</summary>
    private string RequireClient(string action) =>
        Caller is { User: { } user, ClientId: not null }
            ? user
            : throw new ObjectCallException($"Only a connected client can {action} {Id}.");

    /// <summary>The caller's membership; <paramref name="action"/> completes "Enter Zone-x before you …".</summary>
    private ZoneMember RequireMember(string action)
    {
        var user = RequireClient("use");
        return _members.TryGetValue(user, out var member)
            ? member
            : throw new ObjectCallException($"Enter {Id} before you {action}.");
    }

    private static void CheckPosition(double x, double y)
    {
        CheckCoordinate("x", x);
        CheckCoordinate("y", y);
    }

    private static void CheckCoordinate(string name, double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > MaxCoordinate)
        {
            throw new ObjectCallException($"{name} must be a finite number within ±1,000,000; it was {Text(value)}.");
        }
    }

    private static void CheckRadius(double radius)
    {
        if (!double.IsFinite(radius) || radius <= 0 || radius > MaxRadius)
        {
            throw new ObjectCallException($"radius must be a finite number above 0 and at most 3,000,000; it was {Text(radius)}.");
        }
    }

    private static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
