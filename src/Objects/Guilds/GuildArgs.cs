namespace SignalRChat.Objects.Guilds;

/// <summary>Args of <c>Create("Guild", …)</c>.</summary>
public sealed record CreateGuildArgs(string Name);

/// <summary>Args of <c>Invite</c> and <c>Kick</c>.</summary>
public sealed record GuildUserArgs(string User);

/// <summary>Args of <c>SetRole</c>.</summary>
public sealed record SetRoleArgs(string User, string Role);

/// <summary>A member and their role.</summary>
public sealed record GuildMember(string User, string Role);

/// <summary>What <c>Create</c>, <c>AcceptInvite</c> and <c>GetInfo</c> return.</summary>
public sealed record GuildInfo(string Guild, string Name, long LastSeq, IReadOnlyList<GuildMember> Members);

/// <summary>The argument of <c>GuildInvite</c>, pushed to the invited user's connections.</summary>
public sealed record GuildInvite(string Guild, string Name, string From);

/// <summary>The argument of <c>GuildChanged</c>, pushed to every member on every change of membership or role.</summary>
public sealed record GuildChange(string Guild, string Change, string User, string? Role, IReadOnlyList<GuildMember> Members);
