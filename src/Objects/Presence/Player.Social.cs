using SignalRChat.Objects.Notices;
using SignalRChat.Objects.Parties;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

/// <summary>What other objects tell the player (conversations, party), stored apart from presence and written only by
/// interleaved notices, one write at a time.</summary>
public sealed partial class Player
{
    private StateWriter<PlayerSocialState>? _socialWriter;

    /// <inheritdoc/>
    public async Task<bool> TryJoinParty(string party)
    {
        if (social.State.Party is { } current && current != party
            && await ObjectOf<IPartyGrain>(ObjectId.Parse(current)).HasMember(User))
        {
            return false;
        }
        // Not in a party, or in one that no longer has them (it ended, or a write failed halfway): join.
        if (social.State.Party is { } stale)
        {
            social.State.Channels.Remove(stale);
        }
        social.State.Party = party;
        await ListChannel(party, true);
        return true;
    }

    /// <inheritdoc/>
    public async Task LeftParty(string party)
    {
        if (social.State.Party == party)
        {
            social.State.Party = null;
            social.State.Channels.Remove(party);
            await SaveSocialAsync();
        }
    }

    /// <inheritdoc/>
    public async Task<string?> ReserveRoom(string room)
    {
        var rooms = social.State.Rooms;
        if (rooms.Contains(room))
        {
            return null;
        }
        var limit = quotas.Value.RoomsPerUser;
        if (rooms.Count >= limit)
        {
            return $"{User} has made {rooms.Count} chat rooms, the most one user may have (Quotas:RoomsPerUser); rooms without members expire after {quotas.Value.RoomIdleExpiry}.";
        }
        rooms.Add(room);
        await SaveSocialAsync();
        return null;
    }

    /// <inheritdoc/>
    public async Task ReleaseRoom(string room)
    {
        if (social.State.Rooms.Remove(room))
        {
            await SaveSocialAsync();
        }
    }

    /// <inheritdoc/>
    public Task<bool> IsOnline() => Task.FromResult(State.Online);

    /// <summary>The most system messages kept unacknowledged; past it the oldest is dropped.</summary>
    public const int MaxPendingSystemMessages = 100;

    /// <summary>The client method a system message is pushed with.</summary>
    public const string SystemMessageMethod = "SystemMessage";

    private const string SystemIdPrefix = "system#";

    /// <inheritdoc/>
    public async Task<SystemMessage> AddSystemMessage(string code, string text, string? data)
    {
        var pending = social.State.SystemMessages;
        var message = new SystemMessage($"{SystemIdPrefix}{++social.State.SystemSeq}", code, text, data, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        pending.Add(message);
        if (pending.Count > MaxPendingSystemMessages)
        {
            pending.RemoveAt(0);
        }
        await SaveSocialAsync();
        await push.ToUsersAsync(logger, Id.ToString(), [User], SystemMessageMethod, message, PushPriority.System);
        return message;
    }

    /// <summary>A new connection receives every system message not yet acknowledged.</summary>
    private async Task ReplaySystemMessagesAsync(string clientId)
    {
        foreach (var message in social.State.SystemMessages.ToList())
        {
            await push.ToClientsAsync(logger, Id.ToString(), [clientId], SystemMessageMethod, message, PushPriority.System);
        }
    }

    /// <summary>Drops acknowledged system messages; IDs of messages not pending are ignored. Returns how many were dropped.</summary>
    private async Task<int> AckSystemMessagesAsync(IReadOnlyCollection<string> ids)
    {
        var removed = social.State.SystemMessages.RemoveAll(m => ids.Contains(m.Id));
        if (removed > 0)
        {
            await SaveSocialAsync();
        }
        return removed;
    }

    private static bool IsSystemMessageId(string id) => id.StartsWith(SystemIdPrefix, StringComparison.Ordinal);

    /// <summary>Tells the user's party they went offline (after the grace): a leader's role passes on.</summary>
    private void TellPartyOffline()
    {
        if (social.State.Party is { } party)
        {
            _ = ObjectOf<IPartyGrain>(ObjectId.Parse(party)).MemberOffline(User); // one-way: nothing to wait for
        }
    }

    private Task SaveSocialAsync() => (_socialWriter ??= new StateWriter<PlayerSocialState>(social, DeactivateOnIdle)).SaveAsync();
}
