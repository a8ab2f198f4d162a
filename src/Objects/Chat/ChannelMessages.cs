using Orleans;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// The messages of one channel (room, world, guild or party), whoever its members are: the numbered history, the typing
/// throttle and the readers' markers (kept by each reader's player, so <c>GetInbox</c> finds them). The channel decides
/// who may call and who receives what.
/// </summary>
internal sealed class ChannelMessages(IMessageLog log, string channel, HistoryRetention retention, Action onBroken, IGrainFactory grains)
{
    /// <summary>Channels with more members than this do not push <c>ReadUpTo</c>: one read would reach too many.</summary>
    public const int MaxReadUpToMembers = 50;

    private readonly MessageHistory<ChatMessage> _history = new(log, channel, retention, onBroken);
    private readonly TypingThrottle _typing = new();
    private ChatMessage? _last;

    /// <summary>The sequence number of the last message given out.</summary>
    public long LastSeq => _history.LastSeq;

    /// <summary>Reads the last sequence number; call when the channel activates.</summary>
    public Task OpenAsync() => _history.OpenAsync();

    /// <summary>Completes when every message given a number is stored.</summary>
    public Task FlushAsync() => _history.FlushAsync();

    /// <summary>Checks <paramref name="text"/> and stores it as <paramref name="user"/>'s message.</summary>
    /// <exception cref="ObjectCallException">The text is not valid, or it could not be stored.</exception>
    public async Task<ChatMessage> AppendAsync(string user, string text)
    {
        var checkedText = MessageText.Check(text);
        var message = await _history.AppendAsync(ChatMessage.For(channel, user, checkedText));
        if (message.Seq > (_last?.Seq ?? 0))
        {
            _last = message;
        }
        return message;
    }

    /// <summary>A page of the history, as <c>GetMessages</c> returns it.</summary>
    /// <exception cref="ObjectCallException">The range is not valid.</exception>
    public async Task<MessagesPage> ReadAsync(GetMessagesArgs args) =>
        new(await _history.ReadAsync(args.AfterSeq, args.BeforeSeq, args.Limit), LastSeq);

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
        var before = await grains.GetGrain<IPlayerGrain>(Player.IdOf(user).ToGrainId()).MarkChannelRead(channel, upTo);
        return upTo > before ? (upTo, true) : (before, false);
    }

    /// <summary>The channel as <c>GetInbox</c> lists it.</summary>
    public async Task<ChannelSummary> SummaryAsync(string? title)
    {
        if (_last?.Seq != LastSeq && LastSeq > 0)
        {
            _last = (await _history.ReadAsync(new LogRange(null, LastSeq + 1, 1))).LastOrDefault();
        }
        return new ChannelSummary(channel, title, LastSeq, LastSeq == 0 ? null : _last);
    }

    /// <summary>Deletes the history: numbering starts again, so a channel made again under this ID never shows it.</summary>
    public async Task DeleteAsync()
    {
        await _history.FlushAsync();
        await log.DeleteAsync(channel);
        _last = null;
        await _history.OpenAsync();
    }
}
