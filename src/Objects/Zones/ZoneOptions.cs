namespace SignalRChat.Objects.Zones;

/// <summary>Zone settings (configuration section <c>Zones</c>).</summary>
public sealed class ZoneOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Zones";

    /// <summary>How many <c>Move</c>s per second a user's position follows; over that, the latest position wins.</summary>
    public int MaxMovesPerSecond { get; set; } = 20;

    /// <summary>The most players one zone holds.</summary>
    public int MaxPlayers { get; set; } = 10_000;

    /// <summary>The side of a cell of the spatial index, in position units: about the radius games ask <c>Nearby</c> for.</summary>
    public double CellSize { get; set; } = 100;

    /// <summary>The shortest time between two <c>ZonePresence</c> events of one zone: changes in between are batched.</summary>
    public TimeSpan PresenceInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}
