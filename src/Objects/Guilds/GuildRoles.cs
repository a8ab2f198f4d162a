namespace SignalRChat.Objects.Guilds;

/// <summary>The roles of a guild's members, as clients see and set them.</summary>
public static class GuildRoles
{
    /// <summary>Made the guild, or was handed it: every right, and cannot leave while others remain.</summary>
    public const string Owner = "owner";

    /// <summary>Invites, and kicks members.</summary>
    public const string Officer = "officer";

    /// <summary>Reads and sends.</summary>
    public const string Member = "member";

    /// <summary>Every role, highest first.</summary>
    public static readonly IReadOnlyList<string> All = [Owner, Officer, Member];

    internal static int Rank(string role) => role switch { Owner => 3, Officer => 2, _ => 1 };
}
