namespace SignalRChat.Objects.Presence;

/// <summary>The status values of a presence, as clients see and set them.</summary>
public static class PresenceStatus
{
    /// <summary>Connected and available; every session starts with it.</summary>
    public const string Online = "online";

    /// <summary>Away: set by the user, or by the server after <c>Presence:IdleAway</c> without activity.</summary>
    public const string Away = "away";

    /// <summary>Busy, do not disturb.</summary>
    public const string Busy = "busy";

    /// <summary>Playing.</summary>
    public const string InGame = "in-game";

    /// <summary>In the game's menus.</summary>
    public const string InMenu = "in-menu";

    /// <summary>No connection for <c>Presence:OfflineGrace</c>. Never set by a client.</summary>
    public const string Offline = "offline";

    /// <summary>Connected, but shown to others as <see cref="Offline"/>. Only the user sees it.</summary>
    public const string Invisible = "invisible";

    /// <summary>What <c>SetStatus</c> accepts.</summary>
    public static IReadOnlyList<string> Settable { get; } = [Online, Away, Busy, InGame, InMenu, Invisible];
}
