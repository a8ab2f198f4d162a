using MessagePack;

namespace SignalRChat.Client.Console;

// The server sends camelCase fields over both protocols. With MessagePack, name the keys explicitly (string keys);
// the JSON protocol maps them by name as well.

/// <summary>The argument of <c>Registered</c>.</summary>
[MessagePackObject]
public sealed record Registration([property: Key("clientId")] string ClientId, [property: Key("instanceId")] string InstanceId, [property: Key("user")] string User);

/// <summary>A chat message, pushed as <c>NewMessage</c> and returned by <c>SendMessage</c> and <c>GetMessages</c>.</summary>
[MessagePackObject]
public sealed record ChatMessage(
    [property: Key("room")] string Room,
    [property: Key("seq")] long Seq,
    [property: Key("user")] string User,
    [property: Key("text")] string Text,
    [property: Key("timestamp")] long Timestamp);

/// <summary>What <c>Join</c> returns.</summary>
[MessagePackObject]
public sealed record RoomInfo([property: Key("room")] string Room, [property: Key("title")] string? Title, [property: Key("lastSeq")] long LastSeq, [property: Key("members")] string[] Members);

/// <summary>What <c>GetMessages</c> returns; <see cref="Truncated"/> when messages asked for are no longer kept (nothing
/// before <see cref="FirstSeq"/> is).</summary>
[MessagePackObject]
public sealed record MessagesPage(
    [property: Key("messages")] ChatMessage[] Messages,
    [property: Key("lastSeq")] long LastSeq,
    [property: Key("truncated")] bool Truncated = false,
    [property: Key("firstSeq")] long? FirstSeq = null);

/// <summary>The argument of <c>MemberJoined</c> and <c>MemberLeft</c>.</summary>
[MessagePackObject]
public sealed record MemberChange([property: Key("room")] string Room, [property: Key("user")] string User);

/// <summary>A moderator removed this user from a room (<c>Kicked</c>); <c>BannedUntil</c> is set for a ban.</summary>
[MessagePackObject]
public sealed record KickNotice(
    [property: Key("room")] string Room,
    [property: Key("by")] string By,
    [property: Key("reason")] string? Reason,
    [property: Key("bannedUntil")] long? BannedUntil);

/// <summary>A moderator muted (<c>Until</c> set) or unmuted this user in a room (<c>Muted</c>).</summary>
[MessagePackObject]
public sealed record MuteNotice(
    [property: Key("room")] string Room,
    [property: Key("by")] string By,
    [property: Key("reason")] string? Reason,
    [property: Key("until")] long? Until);

/// <summary>A presence: pushed as <c>PresenceChanged</c>, returned by the player's methods.</summary>
[MessagePackObject]
public sealed record Presence(
    [property: Key("user")] string User,
    [property: Key("status")] string Status,
    [property: Key("text")] string? Text,
    [property: Key("activity")] object? Activity,
    [property: Key("zone")] string? Zone,
    [property: Key("lastActiveAt")] long? LastActiveAt,
    [property: Key("lastSeen")] long? LastSeen);

/// <summary>A direct message: pushed as <c>DirectMessage</c>, returned by <c>SendDirect</c>.</summary>
[MessagePackObject]
public sealed record DirectMessage(
    [property: Key("id")] string Id,
    [property: Key("conversation")] string Conversation,
    [property: Key("seq")] long Seq,
    [property: Key("from")] string From,
    [property: Key("to")] string To,
    [property: Key("text")] string Text,
    [property: Key("timestamp")] long Timestamp,
    [property: Key("deliveredAt")] long? DeliveredAt);

/// <summary>The argument of <c>Delivered</c>: a direct message you sent was received.</summary>
[MessagePackObject]
public sealed record DeliveryReceipt([property: Key("id")] string Id, [property: Key("to")] string To, [property: Key("at")] long At);

/// <summary>What <c>Ack</c> returns.</summary>
[MessagePackObject]
public sealed record AckResult([property: Key("confirmed")] int Confirmed);

/// <summary>An announcement to everyone, or a system message to you: pushed as <c>Announcement</c> / <c>SystemMessage</c>.</summary>
[MessagePackObject]
public sealed record Notice([property: Key("id")] string Id, [property: Key("text")] string Text, [property: Key("timestamp")] long Timestamp);

/// <summary>The argument of <c>GuildInvite</c>.</summary>
[MessagePackObject]
public sealed record GuildInvite([property: Key("guild")] string Guild, [property: Key("name")] string Name, [property: Key("from")] string From);

/// <summary>The argument of <c>PartyInvite</c>.</summary>
[MessagePackObject]
public sealed record PartyInvite([property: Key("party")] string Party, [property: Key("leader")] string Leader, [property: Key("from")] string From);

/// <summary>The argument of <c>PartyChanged</c>, and what party calls return.</summary>
[MessagePackObject]
public sealed record PartyInfo([property: Key("party")] string Party, [property: Key("leader")] string? Leader, [property: Key("members")] string[] Members);
