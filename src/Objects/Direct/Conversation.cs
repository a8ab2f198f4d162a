using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SignalRChat.Objects.Chat;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Direct;

/// <summary>
/// The direct messages of two users: a numbered history in its log (both directions share one <c>seq</c>), receipts
/// beside it, and blocks. Calls interleave, so messages sent at once are stored in one write.
/// </summary>
[Reentrant]
public sealed class Conversation(
    [PersistentState("conversation", ObjectStorage.Name)] IPersistentState<ConversationState> state,
    IMessageLog log,
    IOptions<HistoryOptions> history,
    IOptions<MessageOptions> messages,
    IClientPush push,
    ILogger<Conversation> logger) : Grain, IConversationGrain
{
    /// <summary>The client method a direct message is pushed with, to the recipient's connections.</summary>
    public const string DirectMessageMethod = "DirectMessage";

    /// <summary>The client method that tells the sender's connections a message was received.</summary>
    public const string DeliveredMethod = "Delivered";

    /// <summary>The client method that tells a user how far the other has read.</summary>
    public const string ReadUpToMethod = "ReadUpTo";

    /// <summary>The refusal a blocked sender gets: it says no more than that.</summary>
    public const string CannotSend = "You cannot send to this user.";

    private const int RecentKept = 1000;

    private readonly Dictionary<long, DirectMessage> _recent = [];
    private readonly TypingThrottle _typing = new();
    private MessageHistory<DirectMessage>? _messages;
    private StateWriter<ConversationState>? _writer;
    private string[] _users = [];

    private MessageHistory<DirectMessage> Messages => _messages!;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>The conversation of two users: their names sorted and joined by ':'.</summary>
    public static string KeyOf(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a}:{b}" : $"{b}:{a}";

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _users = Key.Split(':');
        _writer = new StateWriter<ConversationState>(state, DeactivateOnIdle);
        _messages = new MessageHistory<DirectMessage>(log, LogName, history.Value.Direct, messages.Value.IdempotencyWindow, DeactivateOnIdle);
        await _messages.OpenAsync();
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Messages.FlushAsync();

    /// <inheritdoc/>
    public async Task<DirectSendResult> Send(string from, string text, string? clientMessageId)
    {
        var to = Other(from);
        var key = ClientMessageId.KeyOf(from, clientMessageId);
        if (Messages.Repeat(key) is { } stored)
        {
            return new DirectSendResult(await stored, null, Repeated: true);
        }
        if (state.State.BlockedBy.Contains(to))
        {
            return new DirectSendResult(null, CannotSend);
        }
        if (state.State.BlockedBy.Contains(from))
        {
            return new DirectSendResult(null, $"You blocked {to}; unblock them to send.");
        }
        var message = await Messages.AppendAsync((seq, timestamp) => new DirectMessage
        {
            Id = $"{Key}#{seq}",
            Conversation = Key,
            Seq = seq,
            From = from,
            To = to,
            Text = text,
            Timestamp = timestamp,
        }, key);
        Remember(message);
        state.State.Unread[to] = state.State.Unread.GetValueOrDefault(to) + 1;
        var counted = _writer!.SaveAsync();
        await push.ToUsersAsync(logger, Key, [to], DirectMessageMethod, message);
        await ListAsync(from, to);
        await ListAsync(to, from);
        try
        {
            await counted;
        }
        catch (Exception e)
        {
            // The message is stored: the send succeeded, whatever becomes of the unread count.
            ObjectsLog.StoreFailed(logger, e, Key, "the unread count");
        }
        return new DirectSendResult(message, null);
    }

    /// <inheritdoc/>
    public async Task<DirectPage> Read(long? afterSeq, long? beforeSeq, int limit)
    {
        var page = await Messages.ReadPageAsync(afterSeq, beforeSeq, limit);
        var receipts = await log.ReadReceiptsAsync(LogName, [.. page.Messages.Select(m => m.Seq)]);
        return new DirectPage([.. page.Messages.Select(m => receipts.TryGetValue(m.Seq, out var at) ? m with { DeliveredAt = at } : m)],
            page.LastSeq, page.Truncated, page.FirstSeq);
    }

    /// <inheritdoc/>
    public async Task<int> Ack(string user, long[] seqs)
    {
        var confirmed = 0;
        foreach (var seq in seqs.Distinct())
        {
            if (await FindAsync(seq) is not { } message || message.To != user)
            {
                continue; // unknown, or not sent to this user: never confirmed by them
            }
            var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (await log.AddReceiptAsync(LogName, seq, at, history.Value.Direct))
            {
                confirmed++;
                await push.ToUsersAsync(logger, Key, [message.From], DeliveredMethod, new DeliveryReceipt(message.Id, user, at), PushPriority.System);
            }
        }
        return confirmed;
    }

    /// <inheritdoc/>
    public async Task SetBlocked(string blocker, bool blocked)
    {
        Other(blocker);
        if (blocked ? state.State.BlockedBy.Add(blocker) : state.State.BlockedBy.Remove(blocker))
        {
            await _writer!.SaveAsync();
        }
    }

    /// <inheritdoc/>
    public async Task<InboxEntry> Summary(string user)
    {
        var last = Messages.LastSeq == 0 ? null
            : _recent.GetValueOrDefault(Messages.LastSeq) ?? (await Messages.ReadAsync(new LogRange(null, Messages.LastSeq + 1, 1))).LastOrDefault();
        return new InboxEntry(Other(user), Messages.LastSeq, last, state.State.Unread.GetValueOrDefault(user),
            state.State.ReadUpTo.GetValueOrDefault(user), state.State.ReadUpTo.GetValueOrDefault(Other(user)));
    }

    /// <inheritdoc/>
    public Task Typing(string user)
    {
        var other = Other(user);
        return _typing.Allow(user)
            ? push.ToUsersAsync(logger, Key, [other], ChatRoom.TypingMethod, new TypingNotice(Key, user), PushPriority.Presence, subject: user)
            : Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<long> MarkRead(string user, long seq)
    {
        var other = Other(user);
        var before = state.State.ReadUpTo.GetValueOrDefault(user);
        var upTo = Math.Min(seq, Messages.LastSeq);
        if (upTo <= before)
        {
            return before;
        }
        state.State.ReadUpTo[user] = upTo;
        var read = 0;
        for (var after = before; after < upTo;)
        {
            var page = await Messages.ReadAsync(new LogRange(after, upTo + 1, MessageHistory<DirectMessage>.MaxPageSize));
            if (page.Count == 0)
            {
                break;
            }
            read += page.Count(m => m.To == user);
            after = page[^1].Seq;
        }
        state.State.Unread[user] = Math.Max(0, state.State.Unread.GetValueOrDefault(user) - read);
        await _writer!.SaveAsync();
        await push.ToUsersAsync(logger, Key, [other], ReadUpToMethod, new ReadMarker(Key, user, upTo), PushPriority.Presence, subject: user);
        return upTo;
    }

    private string LogName => $"Conversation-{Key}";

    /// <summary>Lists the conversation in <paramref name="user"/>'s inbox, once: an interleaved notice, so a player
    /// busy sending to this conversation is never waited on.</summary>
    private async Task ListAsync(string user, string with)
    {
        if (state.State.Listed.Contains(user))
        {
            return;
        }
        await GrainFactory.GetGrain<IPlayerGrain>(Player.IdOf(user).ToGrainId()).ListConversation(with);
        if (state.State.Listed.Add(user))
        {
            await _writer!.SaveAsync();
        }
    }

    private async Task<DirectMessage?> FindAsync(long seq)
    {
        if (seq < 1 || seq > Messages.LastSeq)
        {
            return null;
        }
        if (_recent.TryGetValue(seq, out var message))
        {
            return message;
        }
        var found = (await Messages.ReadAsync(new LogRange(seq - 1, seq + 1, 1))).FirstOrDefault();
        if (found is not null)
        {
            Remember(found);
        }
        return found;
    }

    private void Remember(DirectMessage message)
    {
        _recent[message.Seq] = message;
        if (_recent.Count > RecentKept)
        {
            _recent.Remove(_recent.Keys.Min());
        }
    }

    private string Other(string user) =>
        _users.Length == 2 && user == _users[0] ? _users[1]
        : _users.Length == 2 && user == _users[1] ? _users[0]
        : throw new ArgumentException($"{user} is not in the conversation {Key}.", nameof(user));
}
