using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Chat;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Parties;

/// <summary>
/// A party (<c>Party-{id}</c>): a small group with a leader. A user is in at most one party (their player keeps which).
/// The leader's role passes to the earliest-joined member still online when the leader leaves or goes offline; the party
/// ends when its last member leaves, with its history. Every change reaches the members (and whoever just left) as
/// <c>PartyChanged</c>. Its channel works as a guild's: <c>NewMessage</c> reaches every connection of every member.
/// </summary>
[ObjectType("Party")]
public sealed class Party(
    [PersistentState("party", ObjectStorage.Name)] IPersistentState<PartyState> state,
    IOptions<HistoryOptions> history,
    IOptions<PartyOptions> options,
    IClientPush push,
    ILogger<Party> logger) : ObjectGrain, IPartyGrain
{
    /// <summary>The client method every change is pushed with.</summary>
    public const string ChangedMethod = "PartyChanged";

    /// <summary>The client method an invite is pushed with, to the invited user.</summary>
    public const string InviteMethod = "PartyInvite";

    private ChannelMessages? _messages;
    private StateWriter<PartyState>? _writer;

    private PartyState Stored => state.State;

    private ChannelMessages Messages => _messages!;

    /// <inheritdoc/>
    protected override bool Exists => state.RecordExists;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _messages = new ChannelMessages(ServiceProvider, Id.ToString(), history.Value.Party, DeactivateOnIdle, logger);
        await _messages.OpenAsync();
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Messages.FlushAsync();

    /// <summary>Creates the party with the caller as its leader; fails when the caller is in another party.</summary>
    [ObjectCreate]
    public async Task<PartyInfo> Create()
    {
        var user = RequireUser("create a party");
        await JoinAsync(user);
        Stored.Leader = user;
        Stored.Members = [user];
        await SaveAsync();
        return Info();
    }

    /// <summary>Invites a user (any member); they receive <c>PartyInvite</c> and answer with <c>Accept</c> or <c>Decline</c>.</summary>
    [ObjectMethod]
    public async Task Invite(PartyUserArgs args)
    {
        var user = RequireMember("invite");
        UserNames.Check(args.User);
        if (Stored.Members.Contains(args.User))
        {
            throw new ObjectCallException($"{args.User} is already in {Id}.");
        }
        if (Stored.Members.Count + Stored.Invites.Count >= options.Value.MaxMembers * 2)
        {
            throw new ObjectCallException($"{Id} has too many invites pending; wait for answers first.");
        }
        if (Stored.Invites.Add(args.User))
        {
            await SaveAsync();
        }
        await push.ToUsersAsync(logger, Id.ToString(), [args.User], InviteMethod, new PartyInvite(Id.ToString(), Stored.Leader!, user));
    }

    /// <summary>Accepts the caller's invite: they join, unless the party is full or they are in another party.</summary>
    [ObjectMethod]
    public async Task<PartyInfo> Accept()
    {
        var user = RequireUser("accept an invite");
        if (!Stored.Invites.Contains(user))
        {
            throw new ObjectCallException($"You have no invite to {Id}.");
        }
        if (Stored.Members.Count >= options.Value.MaxMembers)
        {
            throw new ObjectCallException($"{Id} is full ({options.Value.MaxMembers} members).");
        }
        await JoinAsync(user);
        Stored.Invites.Remove(user);
        Stored.Members.Add(user);
        await SaveAsync();
        await TellAsync();
        return Info();
    }

    /// <summary>Declines the caller's invite.</summary>
    [ObjectMethod]
    public async Task Decline()
    {
        var user = RequireUser("decline an invite");
        if (!Stored.Invites.Remove(user))
        {
            throw new ObjectCallException($"You have no invite to {Id}.");
        }
        await SaveAsync();
    }

    /// <summary>Leaves the party. A leader's role passes on; the last member leaving ends the party.</summary>
    [ObjectMethod]
    public async Task Leave()
    {
        var user = RequireMember("leave");
        await RemoveAsync(user);
    }

    /// <summary>Removes a member (the leader only).</summary>
    [ObjectMethod]
    public async Task Kick(PartyUserArgs args)
    {
        RequireLeader("kick");
        if (args.User == Stored.Leader)
        {
            throw new ObjectCallException($"To leave {Id}, call Leave.");
        }
        if (!Stored.Members.Contains(args.User))
        {
            throw new ObjectCallException($"{args.User} is not in {Id}.");
        }
        await RemoveAsync(args.User);
    }

    /// <summary>Hands the leader's role to another member (the leader only).</summary>
    [ObjectMethod]
    public async Task PromoteLeader(PartyUserArgs args)
    {
        RequireLeader("promote a leader");
        if (!Stored.Members.Contains(args.User))
        {
            throw new ObjectCallException($"{args.User} is not in {Id}.");
        }
        if (args.User != Stored.Leader)
        {
            Stored.Leader = args.User;
            await SaveAsync();
            await TellAsync();
        }
    }

    /// <summary>Stores a message and pushes it as <c>NewMessage</c> to every connection of every member (the sender's
    /// too); a repeat (same <c>clientMessageId</c>) returns the stored message.</summary>
    [ObjectMethod]
    public Task<ChatMessage> SendMessage(SendMessageArgs args)
    {
        var user = RequireMember("send messages");
        return Messages.SendToMembersAsync(user, args, [.. Stored.Members]);
    }

    /// <summary>A page of the party's history, as <c>ChatRoom.GetMessages</c> (members only).</summary>
    [ObjectMethod]
    public Task<MessagesPage> GetMessages(GetMessagesArgs args)
    {
        RequireMember("read messages");
        return Messages.ReadAsync(args);
    }

    /// <summary>Tells the other members that the caller is typing (<c>Typing {room, user}</c>); never stored, at most
    /// one per user every 2 s.</summary>
    [ObjectMethod]
    public Task Typing()
    {
        var user = RequireMember("type");
        return Messages.TypingToMembersAsync(user, Stored.Members);
    }

    /// <summary>Marks the party read up to <c>seq</c> for the caller; every member receives <c>ReadUpTo {room, user, seq}</c>
    /// (a party is far below the 50 members past which nobody is told).</summary>
    [ObjectMethod]
    public Task<MarkReadResult> MarkRead(MarkChannelReadArgs args)
    {
        var user = RequireMember("mark it read");
        return Messages.MarkReadForMembersAsync(user, args.Seq, [.. Stored.Members]);
    }

    /// <inheritdoc/>
    public async Task<ChannelSummary?> Summary(string user) =>
        Stored.Members.Contains(user) ? await Messages.SummaryAsync(null) : null;

    /// <summary>The party's leader and members (members only).</summary>
    [ObjectMethod]
    public Task<PartyInfo> GetInfo()
    {
        RequireMember("see it");
        return Task.FromResult(Info());
    }

    /// <inheritdoc/>
    public Task<bool> HasMember(string user) => Task.FromResult(Stored.Members.Contains(user));

    /// <inheritdoc/>
    public async Task MemberOffline(string user)
    {
        if (user != Stored.Leader || Stored.Members.Count < 2)
        {
            return;
        }
        foreach (var candidate in Stored.Members.Where(m => m != user))
        {
            if (await PlayerOf(candidate).IsOnline())
            {
                Stored.Leader = candidate;
                await SaveAsync();
                await TellAsync();
                return;
            }
        }
    }

    private async Task RemoveAsync(string user)
    {
        Stored.Members.Remove(user);
        await PlayerOf(user).LeftParty(Id.ToString());
        if (Stored.Members.Count == 0)
        {
            await Messages.DeleteAsync();
            await state.ClearStateAsync();
            state.State = new PartyState();
            await TellAsync(alsoTell: user);
            return;
        }
        if (Stored.Leader == user)
        {
            Stored.Leader = Stored.Members[0];
        }
        await SaveAsync();
        await TellAsync(alsoTell: user);
    }

    /// <summary>Records in the user's player that they are in this party; refuses when they are in another one.</summary>
    private async Task JoinAsync(string user)
    {
        if (!await PlayerOf(user).TryJoinParty(Id.ToString()))
        {
            throw new ObjectCallException($"You are in another party; leave it before joining {Id}.");
        }
    }

    private Task TellAsync(string? alsoTell = null) =>
        push.ToUsersAsync(logger, Id.ToString(), alsoTell is null ? [.. Stored.Members] : [.. Stored.Members, alsoTell], ChangedMethod, Info(), PushPriority.System);

    private PartyInfo Info() => new(Id.ToString(), Stored.Leader, [.. Stored.Members]);

    private IPlayerGrain PlayerOf(string user) => ObjectOf<IPlayerGrain>(Player.IdOf(user));

    // Memory changed and storage did not: never serve that difference (the writer deactivates the party then).
    private Task SaveAsync() => (_writer ??= new StateWriter<PartyState>(state, DeactivateOnIdle)).SaveAsync();

    private string RequireMember(string action)
    {
        var user = RequireUser(action);
        return Stored.Members.Contains(user) ? user : throw new ObjectCallException($"Only members of {Id} can {action}.");
    }

    private void RequireLeader(string action)
    {
        var user = RequireMember(action);
        if (user != Stored.Leader)
        {
            throw new ObjectCallException($"Only the leader of {Id} can {action}.");
        }
    }
}
