namespace SignalRChat.Objects.Chat;

/// <summary>Args of <c>Kick</c>, <c>Mute</c> and <c>Ban</c>: whom, for how long (<c>Mute</c>: required; <c>Ban</c>: none
/// is until <c>Unban</c>; <c>Kick</c>: none) and why (shown to them).</summary>
public sealed record ModerateArgs(string User, int? Minutes = null, string? Reason = null);

/// <summary>Args of <c>Unmute</c> and <c>Unban</c>.</summary>
public sealed record ModerationUserArgs(string User);

/// <summary>Args of <c>SetModerator</c>: make <paramref name="User"/> a moderator, or no longer one.</summary>
public sealed record SetModeratorArgs(string User, bool Moderator);

/// <summary>Args of <c>SetPrivate</c>.</summary>
public sealed record SetPrivateArgs(bool Private);

/// <summary>Args of <c>Allow</c> and <c>Disallow</c>: users added to or removed from a private room's member list.</summary>
public sealed record AllowArgs(IReadOnlyList<string> Users);

/// <summary>The argument of the <c>Kicked</c> push to the connections of a user removed from a room: by whom, why,
/// and until when they may not join again (null: they may).</summary>
public sealed record KickNotice(string Room, string By, string? Reason, long? BannedUntil);

/// <summary>The argument of the <c>Muted</c> push to a muted user's connections in the room (<c>Until</c> null: unmuted).</summary>
public sealed record MuteNotice(string Room, string By, string? Reason, long? Until);

/// <summary>What <c>GetModeration</c> returns: who moderates, whether the room is private and who may join it, and the
/// bans and mutes in force (Unix ms ends; null is until lifted).</summary>
public sealed record ModerationInfo(
    string Room,
    string? Owner,
    IReadOnlyList<string> Moderators,
    bool Private,
    IReadOnlyList<string> Allowed,
    IReadOnlyDictionary<string, long?> Bans,
    IReadOnlyDictionary<string, long> Mutes);
