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
        if (social.State.Party is { } current)
        {
            return current == party;
        }
        social.State.Party = party;
        await SaveSocialAsync();
        return true;
    }

    /// <inheritdoc/>
    public async Task LeftParty(string party)
    {
        if (social.State.Party == party)
        {
            social.State.Party = null;
            await SaveSocialAsync();
        }
    }

    /// <inheritdoc/>
    public Task<bool> IsOnline() => Task.FromResult(State.Online);

    /// <summary>Tells the user's party they went offline (after the grace): a leader's role passes on.</summary>
    private void TellPartyOffline()
    {
        if (social.State.Party is { } party)
        {
            _ = ObjectOf<IPartyGrain>(ObjectId.Parse(party)).MemberOffline(User); // one-way: nothing to wait for
        }
    }

    private Task SaveSocialAsync() => (_socialWriter ??= new StateWriter<PlayerSocialState>(social, () => { })).SaveAsync();
}
