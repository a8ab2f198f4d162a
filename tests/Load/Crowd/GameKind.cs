namespace SignalRChat.Load.Crowd;

/// <summary>What the game scenario measures: one kind per pushed event and cause. Each belongs to a priority class
/// (<see cref="GameKinds.ClassOf"/>).</summary>
internal enum GameKind
{
    /// <summary><c>Announcement</c> from the operator's <c>POST /admin/announcements</c>, to every player.</summary>
    Announcement,

    /// <summary><c>SystemMessage</c> from the operator's <c>POST /admin/players/{user}/messages</c>, to one player.</summary>
    SystemMessage,

    /// <summary><c>Delivered</c> to the sender of a direct message, timed from the recipient's <c>Ack</c>.</summary>
    Receipt,

    /// <summary><c>NewMessage</c> of a guild, to every member (the sender too).</summary>
    Guild,

    /// <summary><c>NewMessage</c> of a party, to every member (the sender too).</summary>
    Party,

    /// <summary><c>NewMessage</c> of a world channel, to every other member.</summary>
    World,

    /// <summary><c>DirectMessage</c>, to its recipient.</summary>
    Direct,

    /// <summary><c>PresenceChanged</c> of a status change, to every follower.</summary>
    Status,

    /// <summary><c>PresenceChanged</c> of a zone change (the presence names the zone), to every follower.</summary>
    ZoneFollowers,

    /// <summary><c>ZonePresence</c> naming a player who entered or left, to the zone's members.</summary>
    ZonePresence,
}

internal static class GameKinds
{
    public static readonly IReadOnlyList<GameKind> All = Enum.GetValues<GameKind>();

    /// <summary>The priority classes, in the order the report shows them.</summary>
    public static readonly IReadOnlyList<string> Classes = ["system", "chat", "presence"];

    /// <summary>The class a kind's deliveries belong to: <c>system</c> (announcements, system messages, delivery
    /// confirmations), <c>chat</c> (channel and direct messages) or <c>presence</c> (state updates).</summary>
    public static string ClassOf(GameKind kind) => kind switch
    {
        GameKind.Announcement or GameKind.SystemMessage or GameKind.Receipt => "system",
        GameKind.Guild or GameKind.Party or GameKind.World or GameKind.Direct => "chat",
        _ => "presence",
    };

    public static string Name(GameKind kind) => kind switch
    {
        GameKind.Announcement => "announcement",
        GameKind.SystemMessage => "system message",
        GameKind.Receipt => "delivered receipt",
        GameKind.Guild => "guild message",
        GameKind.Party => "party message",
        GameKind.World => "world message",
        GameKind.Direct => "direct message",
        GameKind.Status => "status change (PresenceChanged)",
        GameKind.ZoneFollowers => "zone change (PresenceChanged)",
        _ => "zone change (ZonePresence)",
    };
}
