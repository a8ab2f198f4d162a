using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Quotas;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// What chat rooms (<see cref="ChatRoom"/>) and world channels (<see cref="World"/>) share: members by connection, a
/// numbered history in an append-only <see cref="IMessageLog"/>, and a <c>NewMessage</c> push to every member but the
/// sender, and the readers' markers (<see cref="ChannelMessages"/>). Calls interleave, so messages sent together are stored in one write (mark each derived object
/// <c>[Reentrant]</c> too); the grain state holds only the title and the members.
/// </summary>
[Reentrant]
public abstract partial class RoomChannel(
    IPersistentState<ChatRoomState> state,
    IMessageLog log,
    HistoryRetention retention,
    IClientPush push,
    IClientDirectory clients,
    ILogger logger) : ObjectGrain, IChannelGrain
{
    /// <summary>The longest message text, in characters.</summary>
    public const int MaxTextLength = MessageText.MaxLength;

    /// <summary>The most messages one <c>GetMessages</c> returns.</summary>
    public const int MaxPageSize = MessageHistory<ChatMessage>.MaxPageSize;

    /// <summary>The page size when <c>GetMessages</c> names none.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The most users a room holds at once (<c>Quotas:RoomMembers</c>), each with any number of connections.</summary>
    private int MaxMembers => ServiceProvider.GetRequiredService<IOptions<QuotaOptions>>().Value.RoomMembers;

    /// <summary>The client method a new message is pushed with.</summary>
    public const string NewMessageMethod = "NewMessage";

    /// <summary>The client method that tells members a user is now in the room (the user's first connection joined).</summary>
    public const string MemberJoinedMethod = "MemberJoined";

    /// <summary>The client method that tells members a user is no longer in the room (the user's last connection left).</summary>
    public const string MemberLeftMethod = "MemberLeft";

    /// <summary>The client method that tells members a user is typing.</summary>
    public const string TypingMethod = "Typing";

    /// <summary>The client method that tells members how far a user has read (channels of at most 50 members).</summary>
    public const string ReadUpToMethod = "ReadUpTo";

    /// <summary>At most one <c>Typing</c> per user per room is delivered in this interval; the calls between are dropped.</summary>
    public static readonly TimeSpan TypingInterval = TypingThrottle.Interval;

    private ChannelMessages? _messages;
    private StateWriter<ChatRoomState>? _writer;

    private ChannelMessages Messages => _messages!;

    /// <inheritdoc/>
    protected override bool Exists => state.RecordExists;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Memory changed and storage did not: never serve that difference. The next call reloads what is stored.
        _writer = new StateWriter<ChatRoomState>(state, DeactivateOnIdle);
        _messages = new ChannelMessages(ServiceProvider, Id.ToString(), retention, DeactivateOnIdle, logger);
        await _messages.OpenAsync();
        await MoveStoredMessagesToLogAsync();
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Messages.FlushAsync();
    }

    /// <summary>Adds the calling client to the room; it receives <c>NewMessage</c> pushes until it leaves or disconnects.</summary>
    [ObjectMethod]
    public async Task<RoomInfo> Join()
    {
        var (user, clientId) = RequireClient("join");
        await ForgetGoneMembersAsync();
        if (!Room.Members.ContainsKey(clientId))
        {
            var isNewUser = !Room.Members.ContainsValue(user);
            // Counted by user, so one user's connections cannot fill a room.
            if (isNewUser && Room.Members.Values.Distinct().Count() >= MaxMembers)
            {
                throw new ObjectCallException($"{Id} is full ({MaxMembers} users).");
            }
            CheckMayJoin(user);
            // Before anything is stored: a refused join leaves no trace.
            WatchCallerDisconnect();
            if (!Exists)
            {
                await OnMakingAsync(user);
            }
            Room.Members[clientId] = user;
            await SaveAsync();
            if (isNewUser)
            {
                AuditLog.Joined(Audit, user, Id.ToString());
                await PushAsync(OtherMembers(clientId), MemberJoinedMethod, new MemberChange(Id.ToString(), user));
            }
        }
        else
        {
            WatchCallerDisconnect();
        }
        return Info();
    }

    /// <summary>Removes the calling client from the room.</summary>
    [ObjectMethod]
    public async Task Leave()
    {
        var (_, clientId) = RequireClient("leave");
        await RemoveMembersAsync([clientId]);
        UnwatchCallerDisconnect();
    }

    /// <summary>Stores a message and pushes it to every member except the sending client. A repeat (same
    /// <c>clientMessageId</c> within the window) returns the stored message, and stores and pushes nothing.</summary>
    [ObjectMethod]
    public async Task<ChatMessage> SendMessage(SendMessageArgs args)
    {
        var (user, clientId) = RequireMember("send messages", "sending messages to it");
        var text = MessageText.Check(args.Text);
        if (Messages.Repeat(user, args.ClientMessageId) is { } stored)
        {
            return await stored;
        }
        CheckNotMuted(user);
        OnSending(user);

        var message = await Messages.AppendAsync(user, text, args.ClientMessageId);

        // Gone members are left out here and forgotten by the next join or member list: a send writes no room state.
        await PushAsync(OtherMembers(clientId), NewMessageMethod, message);
        return message;
    }

    /// <summary>
    /// Returns a page of stored messages, oldest first: the first <c>limit</c> after <c>afterSeq</c> (catching up), or
    /// with only <c>beforeSeq</c>, the last <c>limit</c> before it (scrolling up). With neither, the oldest kept.
    /// </summary>
    [ObjectMethod]
    public Task<MessagesPage> GetMessages(GetMessagesArgs args) => Messages.ReadAsync(args);

    /// <summary>Returns the user names of the members, sorted, each once.</summary>
    [ObjectMethod]
    public async Task<IReadOnlyList<string>> ListMembers()
    {
        await ForgetGoneMembersAsync();
        return MemberNames();
    }

    /// <summary>
    /// Tells the other members that the caller is typing: <c>Typing {room, user}</c> to every connection but the
    /// caller's own. Never stored; at most one per user per <see cref="TypingInterval"/>, calls in between are dropped.
    /// </summary>
    [ObjectMethod]
    public async Task Typing()
    {
        var (user, _) = RequireMember("type", "typing in it");
        CheckNotMuted(user);
        if (!Messages.AllowTyping(user))
        {
            return;
        }
        var others = Room.Members.Where(m => m.Value != user && clients.MayBeConnected(m.Key)).Select(m => m.Key).ToList();
        await PushAsync(others, TypingMethod, new TypingNotice(Id.ToString(), user), PushPriority.Presence, subject: user);
    }

    /// <summary>
    /// Marks the room read up to <c>seq</c> for the caller's user: the marker only moves forward, <c>GetInbox</c> counts
    /// unread messages from it, and in rooms of at most 50 users the members receive <c>ReadUpTo {room, user, seq}</c>.
    /// </summary>
    [ObjectMethod]
    public async Task<MarkReadResult> MarkRead(MarkChannelReadArgs args)
    {
        var (user, clientId) = RequireMember("mark it read", "marking it read");
        var (upTo, moved) = await Messages.MarkReadAsync(user, args.Seq);
        if (moved && Room.Members.Values.Distinct(StringComparer.Ordinal).Count() <= ChannelMessages.MaxReadUpToMembers)
        {
            await PushAsync(OtherMembers(clientId), ReadUpToMethod, new ReadMarker(Id.ToString(), user, upTo), PushPriority.Presence, subject: user);
        }
        return new MarkReadResult(upTo);
    }

    /// <inheritdoc/>
    public async Task<ChannelSummary?> Summary(string user) => Exists ? await Messages.SummaryAsync(Room.Title) : null;

    /// <inheritdoc/>
    protected override Task OnClientDisconnectedAsync(string clientId) => RemoveMembersAsync([clientId]);

    /// <summary>Drops members whose hub instance is gone: their connections ended without a disconnect notice.</summary>
    private async Task ForgetGoneMembersAsync()
    {
        var gone = Room.Members.Keys.Where(clientId => !clients.MayBeConnected(clientId)).ToList();
        if (gone.Count > 0)
        {
            await RemoveMembersAsync(gone);
        }
    }

    /// <summary>Removes connections; members are told of each user who no longer has any connection in the room.</summary>
    private async Task RemoveMembersAsync(IReadOnlyList<string> clientIds)
    {
        var removed = clientIds.Where(Room.Members.ContainsKey).Select(id => (Id: id, User: Room.Members[id])).ToList();
        if (removed.Count == 0)
        {
            return;
        }
        foreach (var member in removed)
        {
            Room.Members.Remove(member.Id);
        }
        // Decided before the save: a user who joins again meanwhile is told as joined after this.
        var leftUsers = removed.Select(m => m.User).Distinct().Where(user => !Room.Members.ContainsValue(user)).ToList();
        foreach (var user in leftUsers)
        {
            Messages.Forget(user);
        }
        await SaveAsync();
        foreach (var user in leftUsers)
        {
            await PushAsync([.. Room.Members.Keys], MemberLeftMethod, new MemberChange(Id.ToString(), user));
        }
        if (Room.Members.Count == 0)
        {
            await OnEmptiedAsync();
        }
    }

    /// <summary>Runs when a user's join is about to store a room that did not exist; throw
    /// <see cref="ObjectCallException"/> to refuse it.</summary>
    protected virtual Task OnMakingAsync(string user) => Task.CompletedTask;

    /// <summary>Runs when the room's last member left.</summary>
    protected virtual Task OnEmptiedAsync() => Task.CompletedTask;

    /// <summary>Deletes the room: its history and its stored state; the activation ends.</summary>
    protected async Task DeleteAsync()
    {
        await Messages.DeleteAsync();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    /// <summary>Runs before a message is stored; throw <see cref="ObjectCallException"/> to refuse it.</summary>
    protected virtual void OnSending(string user)
    {
    }

    /// <summary>The room's stored title and members.</summary>
    protected ChatRoomState Room => state.State;

    /// <summary>Writes the room's state; saves asked for during a write share the next one.</summary>
    protected Task SaveAsync() => _writer!.SaveAsync();

    /// <summary>What <c>Join</c> and <c>Create</c> return.</summary>
    protected RoomInfo Info() => new(Id.ToString(), Room.Title, Messages.LastSeq, MemberNames());

    /// <summary>Rooms stored before histories moved to the log kept their messages in the grain state: append those
    /// once, then drop them from the state.</summary>
    private async Task MoveStoredMessagesToLogAsync()
    {
        if (Room.LegacyMessages.Count == 0)
        {
            return;
        }
        var legacy = Room.LegacyMessages.Where(m => m.Seq > Messages.LastSeq)
            .Select(m => MessageHistory<ChatMessage>.Entry(m.Seq, m.Timestamp, m))
            .ToList();
        await log.AppendAsync(Id.ToString(), legacy, retention);
        // Reads the new last sequence number.
        await Messages.OpenAsync();
        Room.LegacyMessages.Clear();
        await SaveAsync();
    }

    private Task PushAsync(IReadOnlyList<string> recipients, string method, object payload, PushPriority priority = PushPriority.Chat, string? subject = null) =>
        push.ToClientsAsync(logger, Id.ToString(), recipients, method, payload, priority, subject);

    private List<string> OtherMembers(string clientId) =>
        Room.Members.Keys.Where(id => id != clientId && clients.MayBeConnected(id)).ToList();

    private (string User, string ClientId) RequireClient(string action) =>
        Caller is { User: { } user, ClientId: { } clientId }
            ? (user, clientId)
            : throw new ObjectCallException($"Only a connected client can {action} in {Id}.");

    /// <summary>The calling member; refuses connections that have not joined (<c>Join {Id} before {doing}.</c>).</summary>
    private (string User, string ClientId) RequireMember(string action, string doing)
    {
        var (user, clientId) = RequireClient(action);
        return Room.Members.ContainsKey(clientId) ? (user, clientId) : throw new ObjectCallException($"Join {Id} before {doing}.");
    }

    private IReadOnlyList<string> MemberNames() =>
        Room.Members.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
