namespace SignalRChat.Objects.Direct;

/// <summary>Args of <c>Player.SendDirect</c>, with an optional <c>clientMessageId</c> as <c>SendMessage</c>'s.</summary>
public sealed record SendDirectArgs(string To, string Text, string? ClientMessageId = null);

/// <summary>Args of <c>Player.GetDirectMessages</c>: the conversation with <paramref name="With"/>, paged as
/// <c>ChatRoom.GetMessages</c>.</summary>
public sealed record GetDirectMessagesArgs(string With, long? AfterSeq = null, long? BeforeSeq = null, int Limit = 50);

/// <summary>Args of <c>Player.Ack</c>: message IDs received.</summary>
public sealed record AckArgs(IReadOnlyList<string> Ids);

/// <summary>Args of <c>Player.Block</c>, <c>Player.Unblock</c> and <c>Player.TypingTo</c>: another user.</summary>
public sealed record OtherUserArgs(string User);

/// <summary>What <c>GetDirectMessages</c> returns: the page, oldest first, the conversation's last sequence number, and
/// whether messages in the range asked for are no longer kept, as <c>GetMessages</c>.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.DirectPage")]
public sealed record DirectPage(
    [property: Id(0)] IReadOnlyList<DirectMessage> Messages,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] bool Truncated,
    [property: Id(3)] long? FirstSeq);

/// <summary>What a conversation answers to a send: the stored message (<paramref name="Repeated"/> when it was stored
/// by an earlier send with the same <c>clientMessageId</c>), or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.DirectSendResult")]
public sealed record DirectSendResult(
    [property: Id(0)] DirectMessage? Message,
    [property: Id(1)] string? Refused,
    [property: Id(2)] bool Repeated = false);

/// <summary>The argument of the <c>Delivered</c> push, to the sender's connections.</summary>
public sealed record DeliveryReceipt(string Id, string To, long At);

/// <summary>One conversation in <c>GetInbox</c>: with whom, its last sequence number, its last message, how many
/// messages to you are unread, how far you have read, and how far they have read (your messages up to it were seen).</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.InboxEntry")]
public sealed record InboxEntry(
    [property: Id(0)] string With,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] DirectMessage? Last,
    [property: Id(3)] int Unread,
    [property: Id(4)] long LastReadSeq,
    [property: Id(5)] long TheirLastReadSeq);

/// <summary>Args of <c>Player.MarkRead</c>: the conversation with <paramref name="With"/>, read up to <paramref name="Seq"/>.</summary>
public sealed record MarkReadArgs(string With, long Seq);


/// <summary>What <c>Player.Ack</c> returns: how many messages this call confirmed (already confirmed and foreign ones
/// do not count).</summary>
public sealed record AckResult(int Confirmed);


/// <summary>What <c>Player.GetInbox</c> returns: the user's channels and conversations, most recent first.</summary>
public sealed record Inbox(IReadOnlyList<ChannelEntry> Channels, IReadOnlyList<InboxEntry> Conversations);

/// <summary>One channel in <c>GetInbox</c>: its object ID, title (rooms, guilds), last sequence number and message, how
/// many messages are after the user's read marker, and the marker.</summary>
public sealed record ChannelEntry(string Room, string? Title, long LastSeq, SignalRChat.Objects.Chat.ChatMessage? Last, long Unread, long LastReadSeq);
