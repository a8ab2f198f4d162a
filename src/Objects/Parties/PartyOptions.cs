namespace SignalRChat.Objects.Parties;

/// <summary>Party limits (configuration section <c>Parties</c>).</summary>
public sealed class PartyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Parties";

    /// <summary>Members one party holds.</summary>
    public int MaxMembers { get; set; } = 8;
}
