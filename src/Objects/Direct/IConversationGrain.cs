namespace SignalRChat.Objects.Direct;

/// <summary>
/// The conversation of two users (key <c>{a}:{b}</c>, sorted). Reached only through the users' players, which check
/// who calls; it tells a player only through an interleaved notice, so the two never wait on each other.
/// </summary>
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Stores a message from <paramref name="from"/> and pushes it to the other user's connections; refused
    /// when either blocked the other.</summary>
    Task<DirectSendResult> Send(string from, string text, string? clientMessageId);

    /// <summary>A page of the history with each message's <see cref="DirectMessage.DeliveredAt"/>.</summary>
    Task<DirectPage> Read(long? afterSeq, long? beforeSeq, int limit);

    /// <summary>Records that <paramref name="user"/> received these messages. Only messages sent to that user count;
    /// the sender hears <c>Delivered</c> once per message. Returns how many were confirmed now.</summary>
    Task<int> Ack(string user, long[] seqs);

    /// <summary>Blocks or unblocks the other user, for <paramref name="blocker"/>.</summary>
    Task SetBlocked(string blocker, bool blocked);

    /// <summary>The last sequence number, the last message and how many messages to <paramref name="user"/> are
    /// unread, for an inbox.</summary>
    Task<InboxEntry> Summary(string user);

    /// <summary>Tells the other user that <paramref name="user"/> is typing, at most once every 2 s; never stored.</summary>
    Task Typing(string user);

    /// <summary>Moves <paramref name="user"/>'s read marker forward to <paramref name="seq"/> (never back) and tells the
    /// other user with <c>ReadUpTo</c>. Returns the marker as it is now.</summary>
    Task<long> MarkRead(string user, long seq);
}
