namespace SignalRChat.Objects.Zones;

/// <summary>A user in a zone: position, the status zone members see, and the move budget of the current second.</summary>
internal sealed class ZoneMember(string user)
{
    public string User { get; } = user;

    public double X { get; set; }

    public double Y { get; set; }

    public string Status { get; set; } = "";

    /// <summary>Environment.TickCount64 when the current one-second move window began.</summary>
    public long WindowStart { get; set; }

    public int MovesInWindow { get; set; }

    /// <summary>The latest position refused by the move budget, applied when the window is over.</summary>
    public (double X, double Y)? Pending { get; set; }

    public ZonePlayer ToPlayer() => new(User, Status, X, Y);
}
