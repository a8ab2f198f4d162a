using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SignalRChat.Objects.Chat;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Guilds;

/// <summary>
/// A guild: membership by user name, kept across sessions, with roles (owner, officer, member) and invites, and a
/// channel whose <c>NewMessage</c> reaches every connection of every member, including connections opened later,
/// without anyone calling anything on connect (pushes go to the members' user names). Calls interleave: membership is
/// small grain state written one write at a time, messages go to the guild's history log in shared writes.
/// </summary>
[ObjectType("Guild")]
[Reentrant]
public sealed class Guild(
    [PersistentState("state", ObjectStorage.Name)] IPersistentState<GuildState> state,
    IOptions<HistoryOptions> history,
    IOptions<GuildOptions> options,
    IClientPush push,
    ILogger<Guild> logger) : ObjectGrain, IChannelGrain
{
    /// <summary>The longest guild name, in characters.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The client method an invite is pushed with, to the invited user.</summary>
    public const string InviteMethod = "GuildInvite";

    /// <summary>The client method that tells members of a change of membership or role.</summary>
    public const string ChangedMethod = "GuildChanged";

    private ChannelMessages? _messages;
    private StateWriter<GuildState>? _writer;

    private GuildState Stored => state.State;

    private ChannelMessages Messages => _messages!;

    /// <inheritdoc/>
    protected override bool Exists => state.RecordExists;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writer = new StateWriter<GuildState>(state, DeactivateOnIdle);
        _messages = new ChannelMessages(ServiceProvider, Id.ToString(), history.Value.Guild, DeactivateOnIdle, logger);
        await _messages.OpenAsync();
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Messages.FlushAsync();

    /// <summary>Creates the guild with the caller as its owner.</summary>
    [ObjectCreate]
    public async Task<GuildInfo> Create(CreateGuildArgs args)
    {
        var user = RequireUser("create a guild");
        if (Stored.Members.Count > 0)
        {
            // Calls interleave: another Create is storing this guild right now.
            throw new ObjectCallException(ObjectErrors.AlreadyExists(Id));
        }
        var name = args.Name.Trim();
        if (name.Length == 0)
        {
            throw new ObjectCallException("name must not be empty.");
        }
        TextRules.Check("name", name, MaxNameLength);
        Stored.Name = name;
        Stored.Members[user] = GuildRoles.Owner;
        await SaveAsync();
        await ListInInboxAsync(user, true);
        return Info();
    }

    /// <summary>Invites a user (officers and the owner); they receive <c>GuildInvite</c> and answer with
    /// <c>AcceptInvite</c> or <c>DeclineInvite</c>.</summary>
    [ObjectMethod]
    public async Task Invite(GuildUserArgs args)
    {
        var (user, role) = RequireMember("invite");
        if (GuildRoles.Rank(role) < GuildRoles.Rank(GuildRoles.Officer))
        {
            throw new ObjectCallException($"Only officers and the owner of {Id} can invite.");
        }
        UserNames.Check(args.User);
        if (Stored.Members.ContainsKey(args.User))
        {
            throw new ObjectCallException($"{args.User} is already a member of {Id}.");
        }
        if (!Stored.Invites.ContainsKey(args.User))
        {
            if (Stored.Invites.Count >= options.Value.MaxPendingInvites)
            {
                throw new ObjectCallException($"{Id} has {options.Value.MaxPendingInvites} invites pending, its limit; wait for answers first.");
            }
            Stored.Invites[args.User] = user;
            await SaveAsync();
        }
        await push.ToUsersAsync(logger, Id.ToString(), [args.User], InviteMethod, new GuildInvite(Id.ToString(), Stored.Name, user));
    }

    /// <summary>Accepts the caller's invite: they become a member.</summary>
    [ObjectMethod]
    public async Task<GuildInfo> AcceptInvite()
    {
        var user = RequireUser("accept an invite");
        RequireGuild();
        if (!Stored.Invites.ContainsKey(user))
        {
            throw new ObjectCallException($"You have no invite to {Id}.");
        }
        if (Stored.Members.Count >= options.Value.MaxMembers)
        {
            throw new ObjectCallException($"{Id} is full ({options.Value.MaxMembers} members).");
        }
        Stored.Invites.Remove(user);
        Stored.Members[user] = GuildRoles.Member;
        await SaveAsync();
        await ListInInboxAsync(user, true);
        await TellMembersAsync("joined", user, GuildRoles.Member);
        return Info();
    }

    /// <summary>Declines the caller's invite.</summary>
    [ObjectMethod]
    public async Task DeclineInvite()
    {
        var user = RequireUser("decline an invite");
        RequireGuild();
        if (!Stored.Invites.Remove(user))
        {
            throw new ObjectCallException($"You have no invite to {Id}.");
        }
        await SaveAsync();
    }

    /// <summary>Leaves the guild. The owner must hand it over first, unless they are its last member: then the guild
    /// ends, with its history.</summary>
    [ObjectMethod]
    public async Task Leave()
    {
        var (user, role) = RequireMember("leave");
        if (role == GuildRoles.Owner)
        {
            if (Stored.Members.Count > 1)
            {
                throw new ObjectCallException($"Hand {Id} to another member first: SetRole {{user, role: \"owner\"}}.");
            }
            await DisbandAsync();
            await ListInInboxAsync(user, false);
            await push.ToUsersAsync(logger, Id.ToString(), [user], ChangedMethod, new GuildChange(Id.ToString(), "ended", user, null, []), PushPriority.System);
            return;
        }
        Stored.Members.Remove(user);
        await SaveAsync();
        await ListInInboxAsync(user, false);
        await TellMembersAsync("left", user, null, alsoTell: user);
    }

    /// <summary>Removes a member: the owner removes anyone else, officers remove members.</summary>
    [ObjectMethod]
    public async Task Kick(GuildUserArgs args)
    {
        var (user, role) = RequireMember("kick");
        if (args.User == user)
        {
            throw new ObjectCallException($"To leave {Id}, call Leave.");
        }
        if (!Stored.Members.TryGetValue(args.User, out var theirRole))
        {
            throw new ObjectCallException($"{args.User} is not a member of {Id}.");
        }
        if (GuildRoles.Rank(role) < GuildRoles.Rank(GuildRoles.Officer) || GuildRoles.Rank(theirRole) >= GuildRoles.Rank(role))
        {
            throw new ObjectCallException(role == GuildRoles.Officer
                ? $"Officers of {Id} can kick only members."
                : $"Only officers and the owner of {Id} can kick.");
        }
        Stored.Members.Remove(args.User);
        await SaveAsync();
        await ListInInboxAsync(args.User, false);
        await TellMembersAsync("kicked", args.User, null, alsoTell: args.User);
    }

    /// <summary>Sets a member's role (the owner only). Making someone the owner hands the guild over: the caller becomes
    /// an officer.</summary>
    [ObjectMethod]
    public async Task SetRole(SetRoleArgs args)
    {
        var (user, role) = RequireMember("set roles");
        if (role != GuildRoles.Owner)
        {
            throw new ObjectCallException($"Only the owner of {Id} can set roles.");
        }
        if (!GuildRoles.All.Contains(args.Role))
        {
            throw new ObjectCallException($"role must be one of {string.Join(", ", GuildRoles.All)}; it was '{args.Role}'.");
        }
        if (args.User == user)
        {
            throw new ObjectCallException($"You are the owner of {Id}: make another member the owner instead.");
        }
        if (!Stored.Members.ContainsKey(args.User))
        {
            throw new ObjectCallException($"{args.User} is not a member of {Id}.");
        }
        Stored.Members[args.User] = args.Role;
        if (args.Role == GuildRoles.Owner)
        {
            Stored.Members[user] = GuildRoles.Officer;
        }
        await SaveAsync();
        await TellMembersAsync("role", args.User, args.Role);
    }

    /// <summary>Stores a message and pushes it to every connection of every member (the sender's too); a repeat
    /// (same <c>clientMessageId</c>) returns the stored message.</summary>
    [ObjectMethod]
    public Task<ChatMessage> SendMessage(SendMessageArgs args)
    {
        var (user, _) = RequireMember("send messages");
        return Messages.SendToMembersAsync(user, args, [.. Stored.Members.Keys]);
    }

    /// <summary>A page of the guild's history, as <c>ChatRoom.GetMessages</c> (members only).</summary>
    [ObjectMethod]
    public Task<MessagesPage> GetMessages(GetMessagesArgs args)
    {
        RequireMember("read messages");
        return Messages.ReadAsync(args);
    }

    /// <summary>Marks the guild read up to <c>seq</c> for the caller, as <c>ChatRoom.MarkRead</c>: in guilds of at most
    /// 50 members, every connection of every member receives <c>ReadUpTo {room, user, seq}</c>.</summary>
    [ObjectMethod]
    public Task<MarkReadResult> MarkRead(MarkChannelReadArgs args)
    {
        var (user, _) = RequireMember("mark it read");
        return Messages.MarkReadForMembersAsync(user, args.Seq, [.. Stored.Members.Keys]);
    }

    /// <summary>Tells the other members that the caller is typing (<c>Typing {room, user}</c>, on every connection of
    /// theirs); never stored, at most one per user every 2 s.</summary>
    [ObjectMethod]
    public Task Typing()
    {
        var (user, _) = RequireMember("type");
        return Messages.TypingToMembersAsync(user, Stored.Members.Keys);
    }

    /// <summary>The guild's name, last sequence number and members (members only).</summary>
    [ObjectMethod]
    public Task<GuildInfo> GetInfo()
    {
        RequireMember("see it");
        return Task.FromResult(Info());
    }

    /// <inheritdoc/>
    public async Task<ChannelSummary?> Summary(string user) =>
        Stored.Members.ContainsKey(user) ? await Messages.SummaryAsync(Stored.Name) : null;

    private async Task DisbandAsync()
    {
        await Messages.DeleteAsync();
        await state.ClearStateAsync();
        state.State = new GuildState();
    }

    /// <summary>Lists the guild in the user's inbox (<c>GetInbox</c>) while they are a member.</summary>
    private Task ListInInboxAsync(string user, bool listed) =>
        ObjectOf<IPlayerGrain>(Player.IdOf(user)).ListChannel(Id.ToString(), listed);

    private Task TellMembersAsync(string change, string user, string? role, string? alsoTell = null)
    {
        List<string> recipients = [.. Stored.Members.Keys];
        if (alsoTell is not null && !Stored.Members.ContainsKey(alsoTell))
        {
            recipients.Add(alsoTell);
        }
        return push.ToUsersAsync(logger, Id.ToString(), recipients, ChangedMethod, new GuildChange(Id.ToString(), change, user, role, MemberList()), PushPriority.System);
    }

    private Task SaveAsync() => _writer!.SaveAsync();

    private GuildInfo Info() => new(Id.ToString(), Stored.Name, Messages.LastSeq, MemberList());

    private List<GuildMember> MemberList() =>
        [.. Stored.Members.OrderByDescending(m => GuildRoles.Rank(m.Value)).ThenBy(m => m.Key, StringComparer.Ordinal).Select(m => new GuildMember(m.Key, m.Value))];

    private void RequireGuild()
    {
        if (!state.RecordExists)
        {
            throw new ObjectCallException($"{Id} does not exist; Create(\"Guild\", \"{Id}\", {{name}}) makes it.");
        }
    }

    private (string User, string Role) RequireMember(string action)
    {
        var user = RequireUser(action);
        RequireGuild();
        return Stored.Members.TryGetValue(user, out var role)
            ? (user, role)
            : throw new ObjectCallException($"Only members of {Id} can {action}.");
    }
}
