using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Direct;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

/// <summary>Direct messages: the player is the user's way into their conversations (<see cref="IConversationGrain"/>),
/// and checks that the caller is the user.</summary>
public sealed partial class Player
{
    /// <summary>The most IDs one <c>Ack</c> takes.</summary>
    public const int MaxAcksPerCall = 100;

    /// <summary>
    /// Sends a direct message: stored in the conversation of the two users, pushed as <c>DirectMessage</c> to every
    /// connection of the recipient and to the caller's other connections. A recipient who is offline reads it later.
    /// </summary>
    [ObjectMethod]
    public async Task<DirectMessage> SendDirect(SendDirectArgs args)
    {
        var user = await OwnerCallAsync();
        CheckOtherUser(args.To, "to", user, "send to yourself");
        var text = MessageText.Check(args.Text);
        ClientMessageId.Check(args.ClientMessageId);
        var result = await ConversationWith(args.To).Send(user, text, args.ClientMessageId);
        var message = result.Message ?? throw new ObjectCallException(result.Refused!);
        if (result.Repeated)
        {
            return message; // sent before: pushed then
        }
        var others = State.Connections.Where(id => id != CurrentCaller?.ClientId && clients.MayBeConnected(id)).ToList();
        await push.ToClientsAsync(logger, Id.ToString(), others, Conversation.DirectMessageMethod, message);
        return message;
    }

    /// <summary>A page of the conversation with another user, each message with its <c>deliveredAt</c>.</summary>
    [ObjectMethod]
    public async Task<DirectPage> GetDirectMessages(GetDirectMessagesArgs args)
    {
        var user = await OwnerCallAsync();
        CheckOtherUser(args.With, "with", user, "have a conversation with yourself");
        var range = MessageHistory<DirectMessage>.Range(args.AfterSeq, args.BeforeSeq, args.Limit);
        return await ConversationWith(args.With).Read(range.AfterSeq, range.BeforeSeq, range.Limit);
    }

    /// <summary>
    /// Acknowledges direct messages and system messages this user received (their IDs). The sender of a direct message
    /// receives <c>Delivered {id, to, at}</c> the first time any connection of this user acknowledges it; an
    /// acknowledged system message is no longer kept. Acks are idempotent; IDs of messages not sent to this user are
    /// ignored.
    /// </summary>
    /// <returns><c>{confirmed}</c>: how many were confirmed by this call.</returns>
    [ObjectMethod]
    public async Task<AckResult> Ack(AckArgs args)
    {
        var user = await OwnerCallAsync();
        if (args.Ids.Count > MaxAcksPerCall)
        {
            throw new ObjectCallException($"ids holds {args.Ids.Count} IDs; the limit is {MaxAcksPerCall} per call.");
        }
        var byConversation = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var system = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Ids.Count; i++)
        {
            var (conversation, seq) = ParseMessageId(args.Ids[i], i);
            if (IsSystemMessageId(args.Ids[i]))
            {
                system.Add(args.Ids[i]);
                continue;
            }
            // Only this user's conversations, in their one spelling: anything else is someone else's, ignored.
            if (conversation.Split(':') is [var a, var b] && (a == user || b == user) && a != b && Conversation.KeyOf(a, b) == conversation)
            {
                (byConversation.TryGetValue(conversation, out var seqs) ? seqs : byConversation[conversation] = []).Add(seq);
            }
        }
        var confirmed = system.Count > 0 ? await AckSystemMessagesAsync(system) : 0;
        foreach (var (conversation, seqs) in byConversation)
        {
            confirmed += await GrainFactory.GetGrain<IConversationGrain>(conversation).Ack(user, [.. seqs]);
        }
        return new AckResult(confirmed);
    }

    /// <summary>Blocks a user: their direct messages to this user are refused ("You cannot send to this user.").</summary>
    [ObjectMethod]
    public async Task Block(OtherUserArgs args)
    {
        var user = await OwnerCallAsync();
        CheckOtherUser(args.User, "user", user, "block yourself");
        await ConversationWith(args.User).SetBlocked(user, true);
    }

    /// <summary>Unblocks a user.</summary>
    [ObjectMethod]
    public async Task Unblock(OtherUserArgs args)
    {
        var user = await OwnerCallAsync();
        CheckOtherUser(args.User, "user", user, "unblock yourself");
        await ConversationWith(args.User).SetBlocked(user, false);
    }

    /// <summary>Tells another user you are typing to them: they receive <c>Typing {room, user}</c> (<c>room</c> is the
    /// conversation), at most one every 2 s; never stored.</summary>
    [ObjectMethod]
    public async Task TypingTo(OtherUserArgs args)
    {
        var user = await OwnerCallAsync();
        CheckOtherUser(args.User, "user", user, "type to yourself");
        await ConversationWith(args.User).Typing(user);
    }

    /// <summary>
    /// Marks the conversation with another user read up to <c>seq</c>: the marker only moves forward, the unread count
    /// in <c>GetInbox</c> follows it, and the other user receives <c>ReadUpTo {room, user, seq}</c>.
    /// </summary>
    /// <returns><c>{lastReadSeq}</c>: the marker as it is now.</returns>
    [ObjectMethod]
    public async Task<MarkReadResult> MarkRead(MarkReadArgs args)
    {
        var user = await OwnerCallAsync();
        CheckOtherUser(args.With, "with", user, "have a conversation with yourself");
        if (args.Seq < 1)
        {
            throw new ObjectCallException($"seq must be positive; it was {args.Seq}.");
        }
        return new MarkReadResult(await ConversationWith(args.With).MarkRead(user, args.Seq));
    }

    /// <inheritdoc/>
    public async Task ListConversation(string with)
    {
        if (social.State.Conversations.Add(with))
        {
            await SaveSocialAsync();
        }
    }

    private IConversationGrain ConversationWith(string other) => GrainFactory.GetGrain<IConversationGrain>(Conversation.KeyOf(User, other));

    private static void CheckOtherUser(string other, string field, string user, string what)
    {
        UserNames.Check(other, field);
        if (other == user)
        {
            throw new ObjectCallException($"You cannot {what}.");
        }
    }

    private static (string Conversation, long Seq) ParseMessageId(string id, int index)
    {
        var hash = id.LastIndexOf('#');
        return hash > 0 && long.TryParse(id.AsSpan(hash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) && seq > 0
            ? (id[..hash], seq)
            : throw new ObjectCallException($"ids[{index}] '{Shorten(id)}' is not a message ID; IDs look like 'alice:bob#17' or 'system#3'.");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
