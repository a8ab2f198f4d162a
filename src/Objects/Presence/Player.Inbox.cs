using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Direct;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

/// <summary>The inbox: the user's channels and conversations with their unread counts. Channels keep the read markers
/// here, in the reader's player, so one call finds them all.</summary>
public sealed partial class Player
{
    /// <summary>The most conversations <c>GetInbox</c> returns, most recent first.</summary>
    public const int MaxInbox = 200;

    /// <summary>The most channels an inbox keeps; past it, the one marked read least recently that the user is not a
    /// member of (rooms, worlds) is dropped.</summary>
    public const int MaxChannels = 100;

    /// <summary>
    /// The user's channels (their guild and party, and the rooms and worlds they marked read) and conversations, most
    /// recent first, each with its last message and unread count.
    /// </summary>
    [ObjectMethod]
    public async Task<Inbox> GetInbox()
    {
        var user = await OwnerCallAsync();
        var listed = social.State.Channels.ToList();
        var summaries = await Task.WhenAll(listed.Select(c => ObjectOf<IChannelGrain>(ObjectId.Parse(c.Key)).Summary(user)));
        var channels = new List<ChannelEntry>(listed.Count);
        for (var i = 0; i < listed.Count; i++)
        {
            if (summaries[i] is { } summary)
            {
                var read = listed[i].Value.LastReadSeq;
                channels.Add(new ChannelEntry(summary.Room, summary.Title, summary.LastSeq, summary.Last, Math.Max(0, summary.LastSeq - read), read));
            }
            else
            {
                // The channel is gone, or no longer has this user: stop listing it.
                await ListChannel(listed[i].Key, false);
            }
        }
        var conversations = await Task.WhenAll(social.State.Conversations.Select(with => ConversationWith(with).Summary(user)));
        return new Inbox(
            [.. channels.OrderByDescending(e => e.Last?.Timestamp ?? 0).ThenBy(e => e.Room, StringComparer.Ordinal)],
            [.. conversations.OrderByDescending(e => e.Last?.Timestamp ?? 0).ThenBy(e => e.With, StringComparer.Ordinal).Take(MaxInbox)]);
    }

    /// <inheritdoc/>
    public async Task<long> MarkChannelRead(string channel, long seq)
    {
        var read = social.State.Channels.TryGetValue(channel, out var known) ? known : AddChannel(channel, member: false);
        var before = read.LastReadSeq;
        read.LastReadSeq = Math.Max(before, seq);
        read.MarkedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SaveSocialAsync();
        return before;
    }

    /// <inheritdoc/>
    public async Task ListChannel(string channel, bool listed)
    {
        if (listed)
        {
            (social.State.Channels.TryGetValue(channel, out var known) ? known : AddChannel(channel, member: true)).Member = true;
        }
        else if (!social.State.Channels.Remove(channel))
        {
            return;
        }
        await SaveSocialAsync();
    }

    private ChannelRead AddChannel(string channel, bool member)
    {
        var channels = social.State.Channels;
        if (channels.Count >= MaxChannels
            && channels.Where(c => !c.Value.Member).MinBy(c => c.Value.MarkedAt) is { Key: { } oldest })
        {
            channels.Remove(oldest);
        }
        return channels[channel] = new ChannelRead { Member = member };
    }
}
