namespace SignalRChat.Objects.Parties;

/// <summary>What a party stores: its leader, its members in the order they joined, and pending invites.</summary>
[GenerateSerializer, Alias("SignalRChat.PartyState")]
public sealed class PartyState
{
    /// <summary>The leader, one of <see cref="Members"/>.</summary>
    [Id(0)] public string? Leader { get; set; }

    /// <summary>The members, in the order they joined: the leader's role passes to the first one who can take it.</summary>
    [Id(1)] public List<string> Members { get; set; } = [];

    /// <summary>Users invited and not yet answered.</summary>
    [Id(2)] public HashSet<string> Invites { get; set; } = new(StringComparer.Ordinal);
}
