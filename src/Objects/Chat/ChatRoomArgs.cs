namespace SignalRChat.Objects.Chat;

/// <summary>Args of <c>SendMessage</c> on every channel: the text, and an optional ID the client chose for this message;
/// sending again with the same ID within <c>Messages:IdempotencyWindow</c> returns the stored message and stores nothing.</summary>
public sealed record SendMessageArgs(string Text, string? ClientMessageId = null);

/// <summary>Args of <c>ChatRoom.GetMessages</c>: at most <paramref name="Limit"/> messages after
/// <paramref name="AfterSeq"/> (forward), or before <paramref name="BeforeSeq"/> when only that is given (backward).</summary>
public sealed record GetMessagesArgs(long? AfterSeq = null, long? BeforeSeq = null, int Limit = ChatRoom.DefaultPageSize);

/// <summary>Args of <c>CreateObject("ChatRoom", …)</c>: a title, and whether the room is private (invite-only) from the start.</summary>
public sealed record CreateRoomArgs(string? Title = null, bool Private = false);

/// <summary>What <c>Join</c> and <c>Create</c> return.</summary>
public sealed record RoomInfo(string Room, string? Title, long LastSeq, IReadOnlyList<string> Members);

/// <summary>What <c>GetMessages</c> returns: the page, oldest first, the room's last sequence number, and whether messages
/// in the range asked for are no longer kept (<paramref name="Truncated"/>: retention dropped them, and nothing before
/// <paramref name="FirstSeq"/> is kept; <paramref name="FirstSeq"/> is null otherwise).</summary>
public sealed record MessagesPage(IReadOnlyList<ChatMessage> Messages, long LastSeq, bool Truncated, long? FirstSeq);

/// <summary>The argument of the <c>MemberJoined</c> and <c>MemberLeft</c> pushes.</summary>
public sealed record MemberChange(string Room, string User);

/// <summary>The argument of the <c>Typing</c> push.</summary>
public sealed record TypingNotice(string Room, string User);

/// <summary>Args of a channel's <c>MarkRead</c>: read up to <paramref name="Seq"/>.</summary>
public sealed record MarkChannelReadArgs(long Seq);

/// <summary>What <c>MarkRead</c> returns (on channels and on <c>Player</c>): the read marker as it is now.</summary>
public sealed record MarkReadResult(long LastReadSeq);

/// <summary>The argument of the <c>ReadUpTo</c> push: <paramref name="User"/> has read <paramref name="Room"/> up to
/// <paramref name="Seq"/> (for a conversation, <c>room</c> is the conversation).</summary>
public sealed record ReadMarker(string Room, string User, long Seq);
