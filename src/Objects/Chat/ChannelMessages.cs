using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// The messages of one channel (room, world, guild or party), whoever its members are: the numbered history, the typing
/// throttle and the readers' markers (kept by each reader's player, so <c>GetInbox</c> finds them). The channel decides
/// who may call. Channels whose members are users (guilds, parties) also push through here, to every connection of
/// every member (<see cref="SendToMembersAsync"/>, <see cref="MarkReadForMembersAsync"/>, <see cref="TypingToMembersAsync"/>).
/// </summary>
internal sealed class ChannelMessages
{
    /// <summary>Channels with more members than this do not push <c>ReadUpTo</c>: one read would reach too many.</summary>
    public const int MaxReadUpToMembers = 50;

    private readonly IMessageLog _log;
    private readonly string _channel;
    private readonly IGrainFactory _grains;
    private readonly IClientPush _push;
    private readonly ILogger _logger;
    private readonly MessageHistory<ChatMessage> _history;
    private readonly TypingThrottle _typing = new();
    private ChatMessage? _last;

    /// <param name="services">The channel grain's services: the message log, <see cref="MessageOptions"/>, the grain factory.</param>
    /// <param name="channel">The channel's object ID, which names its log.</param>
    /// <param name="retention">What the log keeps.</param>
    /// <param name="onBroken">Called when a write fails: the channel should reload (deactivate).</param>
    /// <param name="logger">The channel's logger, for pushes that fail.</param>
    public ChannelMessages(IServiceProvider services, string channel, HistoryRetention retention, Action onBroken, ILogger logger)
    {
        _push = services.GetRequiredService<IClientPush>();
        _logger = logger;
        _log = services.GetRequiredService<IMessageLog>();
        _channel = channel;
        _grains = services.GetRequiredService<IGrainFactory>();
        var window = services.GetRequiredService<IOptions<MessageOptions>>().Value.IdempotencyWindow;
        _history = new MessageHistory<ChatMessage>(_log, channel, retention, window, onBroken);
    }

    /// <summary>The sequence number of the last message given out.</summary>
    public long LastSeq => _history.LastSeq;

    /// <summary>Reads the last sequence number; call when the channel activates.</summary>
    public Task OpenAsync() => _history.OpenAsync();

    /// <summary>Completes when every message given a number is stored.</summary>
    public Task FlushAsync() => _history.FlushAsync();

    /// <summary>The message <paramref name="user"/> sent with <paramref name="clientMessageId"/> within the
    /// idempotency window, if any: a repeat returns it and stores nothing.</summary>
    /// <exception cref="ObjectCallException">The ID is not valid.</exception>
    public Task<ChatMessage>? Repeat(string user, string? clientMessageId) => _history.Repeat(ClientMessageId.KeyOf(user, clientMessageId));

    /// <summary>Checks <paramref name="text"/> and stores it as <paramref name="user"/>'s message; call
    /// <see cref="Repeat"/> first.</summary>
    /// <exception cref="ObjectCallException">The text or ID is not valid, or it could not be stored.</exception>
    public async Task<ChatMessage> AppendAsync(string user, string text, string? clientMessageId)
    {
        var checkedText = MessageText.Check(text);
        var message = await _history.AppendAsync(ChatMessage.For(_channel, user, checkedText), ClientMessageId.KeyOf(user, clientMessageId));
        if (message.Seq > (_last?.Seq ?? 0))
        {
            _last = message;
        }
        return message;
    }

    /// <summary>A page of the history, as <c>GetMessages</c> returns it.</summary>
    /// <exception cref="ObjectCallException">The range is not valid.</exception>
    public async Task<MessagesPage> ReadAsync(GetMessagesArgs args)
    {
        var page = await _history.ReadPageAsync(args.AfterSeq, args.BeforeSeq, args.Limit);
        return new MessagesPage(page.Messages, page.LastSeq, page.Truncated, page.FirstSeq);
    }

    /// <summary>True when <paramref name="user"/>'s <c>Typing</c> should be delivered now.</summary>
    public bool AllowTyping(string user) => _typing.Allow(user);

    /// <summary>Forgets a user who left.</summary>
    public void Forget(string user) => _typing.Forget(user);

    /// <summary>
    /// Moves <paramref name="user"/>'s read marker forward to <paramref name="seq"/> (at most the last message). Returns
    /// the marker as it is now, and whether this call moved it (then the channel tells its members).
    /// </summary>
    /// <exception cref="ObjectCallException"><paramref name="seq"/> is not positive.</exception>
    public async Task<(long LastReadSeq, bool Moved)> MarkReadAsync(string user, long seq)
    {
        if (seq < 1)
        {
            throw new ObjectCallException($"seq must be positive; it was {seq}.");
        }
        var upTo = Math.Min(seq, LastSeq);
        var before = await _grains.GetGrain<IPlayerGrain>(Player.IdOf(user).ToGrainId()).MarkChannelRead(_channel, upTo);
        return upTo > before ? (upTo, true) : (before, false);
    }

    /// <summary>Stores <paramref name="user"/>'s message (or finds the one a repeat of its <c>clientMessageId</c> stored)
    /// and pushes a new one as <c>NewMessage</c> to every connection of every member, the sender's too.</summary>
    /// <exception cref="ObjectCallException">The text or ID is not valid, or it could not be stored.</exception>
    public async Task<ChatMessage> SendToMembersAsync(string user, SendMessageArgs args, IReadOnlyList<string> members)
    {
        if (Repeat(user, args.ClientMessageId) is { } stored)
        {
            return await stored;
        }
        var message = await AppendAsync(user, args.Text, args.ClientMessageId);
        await _push.ToUsersAsync(_logger, _channel, members, ChatRoom.NewMessageMethod, message);
        return message;
    }

    /// <summary>Moves <paramref name="user"/>'s read marker (<see cref="MarkReadAsync"/>); when it moved, and the channel
    /// has at most <see cref="MaxReadUpToMembers"/> members, every connection of every member gets <c>ReadUpTo</c>.</summary>
    /// <exception cref="ObjectCallException"><paramref name="seq"/> is not positive.</exception>
    public async Task<MarkReadResult> MarkReadForMembersAsync(string user, long seq, IReadOnlyList<string> members)
    {
        var (upTo, moved) = await MarkReadAsync(user, seq);
        if (moved && members.Count <= MaxReadUpToMembers)
        {
            await _push.ToUsersAsync(_logger, _channel, members, ChatRoom.ReadUpToMethod, new ReadMarker(_channel, user, upTo), PushPriority.Presence, subject: user);
        }
        return new MarkReadResult(upTo);
    }

    /// <summary>Tells the other members, on every connection, that <paramref name="user"/> is typing; at most once per
    /// <see cref="TypingThrottle.Interval"/>, never stored.</summary>
    public Task TypingToMembersAsync(string user, IEnumerable<string> members) =>
        AllowTyping(user)
            ? _push.ToUsersAsync(_logger, _channel, [.. members.Where(m => m != user)], ChatRoom.TypingMethod, new TypingNotice(_channel, user), PushPriority.Presence, subject: user)
            : Task.CompletedTask;

    /// <summary>The channel as <c>GetInbox</c> lists it.</summary>
    public async Task<ChannelSummary> SummaryAsync(string? title)
    {
        if (_last?.Seq != LastSeq && LastSeq > 0)
        {
            _last = (await _history.ReadAsync(new LogRange(null, LastSeq + 1, 1))).LastOrDefault();
        }
        return new ChannelSummary(_channel, title, LastSeq, LastSeq == 0 ? null : _last);
    }

    /// <summary>Deletes the history: numbering starts again, so a channel made again under this ID never shows it.</summary>
    public async Task DeleteAsync()
    {
        await _history.FlushAsync();
        await _log.DeleteAsync(_channel);
        _last = null;
        await _history.OpenAsync();
    }
}
