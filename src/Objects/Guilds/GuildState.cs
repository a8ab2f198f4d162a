namespace SignalRChat.Objects.Guilds;

/// <summary>What a guild stores in grain state: its name, members and pending invites. Messages are in its history log.</summary>
[GenerateSerializer, Alias("SignalRChat.GuildState")]
public sealed class GuildState
{
    /// <summary>The name given at <c>Create</c>.</summary>
    [Id(0)] public string Name { get; set; } = "";

    /// <summary>Members by user name, with each one's role (<see cref="GuildRoles"/>).</summary>
    [Id(1)] public Dictionary<string, string> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pending invites by invited user, with who invited them.</summary>
    [Id(2)] public Dictionary<string, string> Invites { get; set; } = new(StringComparer.Ordinal);
}
