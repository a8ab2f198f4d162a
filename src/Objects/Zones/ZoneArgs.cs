namespace SignalRChat.Objects.Zones;

/// <summary>Args of <c>Zone.Enter</c> and <c>Zone.Move</c>: a position, each coordinate within ±1,000,000.</summary>
public sealed record PositionArgs(double X, double Y);

/// <summary>Args of <c>Zone.Nearby</c>: players within <paramref name="Radius"/> of the caller, the nearest <paramref name="Limit"/>.</summary>
public sealed record NearbyArgs(double Radius, int Limit = Zone.DefaultNearbyLimit);

/// <summary>Args of <c>Zone.SayNearby</c>.</summary>
public sealed record SayNearbyArgs(string Text, double Radius);

/// <summary>A player in a zone, as <c>Enter</c> and <c>ListPlayers</c> return it.</summary>
public sealed record ZonePlayer(string User, string Status, double X, double Y);

/// <summary>What <c>Enter</c> (the nearest players) and <c>ListPlayers</c> (everyone) return, with the zone's player count
/// and the <see cref="ZonePresence.Seq"/> of the zone's last batch: the snapshot includes it and every one before.</summary>
public sealed record ZoneSnapshot(string Zone, IReadOnlyList<ZonePlayer> Players, int Total, long Seq);

/// <summary>What <c>Move</c> returns: false when over <c>Zones:MaxMovesPerSecond</c>; the position then waits as the
/// latest one and is applied when the second is over, unless a later move replaces it.</summary>
public sealed record MoveResult(bool Applied);

/// <summary>A player near the caller, as <c>Nearby</c> returns it.</summary>
public sealed record NearbyPlayer(string User, string Status, double X, double Y, double Distance);

/// <summary>The <c>ZonePresence</c> push: who entered and who left the zone since the last one. <c>Seq</c> is one more than
/// the zone's batch before it (a new activation of the zone starts above the last): a member that sees a gap missed a
/// batch (a full queue drops presence) and reads the members again with <c>ListPlayers</c>.</summary>
public sealed record ZonePresence(string Zone, IReadOnlyList<string> Entered, IReadOnlyList<string> Left, long Seq);

/// <summary>The <c>NearbyMessage</c> push: proximity chat, from <paramref name="User"/> at (<paramref name="X"/>, <paramref name="Y"/>); <paramref name="At"/> in Unix ms.</summary>
public sealed record NearbyMessage(string Zone, string User, string Text, double X, double Y, long At);

/// <summary>What <c>SayNearby</c> returns: the message, and how many users it was pushed to.</summary>
public sealed record SaidNearby(NearbyMessage Message, int Recipients);
