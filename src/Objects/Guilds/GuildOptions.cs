namespace SignalRChat.Objects.Guilds;

/// <summary>Guild limits (configuration section <c>Guilds</c>).</summary>
public sealed class GuildOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Guilds";

    /// <summary>Members one guild holds.</summary>
    public int MaxMembers { get; set; } = 500;

    /// <summary>Invites one guild keeps pending at once.</summary>
    public int MaxPendingInvites { get; set; } = 100;
}
