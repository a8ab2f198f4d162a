namespace SignalRChat.Objects.Parties;

/// <summary>Args of <c>Invite</c>, <c>Kick</c> and <c>PromoteLeader</c>.</summary>
public sealed record PartyUserArgs(string User);

/// <summary>What party calls return, and the argument of <c>PartyChanged</c>: the party, its leader and its members
/// (empty once the party has ended).</summary>
public sealed record PartyInfo(string Party, string? Leader, IReadOnlyList<string> Members);

/// <summary>The argument of <c>PartyInvite</c>, pushed to the invited user's connections.</summary>
public sealed record PartyInvite(string Party, string Leader, string From);
