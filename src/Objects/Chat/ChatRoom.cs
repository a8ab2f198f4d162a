using Microsoft.Extensions.Logging;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// A chat room: members, a numbered message history kept in grain storage, and a <c>NewMessage</c> push to every
/// member but the sender.
/// </summary>
[ObjectType("ChatRoom")]
public sealed class ChatRoom(
    [PersistentState("state", ObjectStorage.Name)] IPersistentState<ChatRoomState> state,
    IClientPush push,
    IClientDirectory clients,
    ILogger<ChatRoom> logger) : ObjectGrain
{
    /// <summary>The longest message text, in characters.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>How many recent messages a room keeps; older ones are dropped from storage.</summary>
    public const int MaxStoredMessages = 1000;

    /// <summary>The most messages one <c>GetMessages</c> returns.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The page size when <c>GetMessages</c> names none.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The most connections a room holds at once.</summary>
    public const int MaxMembers = 10_000;

    /// <summary>The client method a new message is pushed with.</summary>
    public const string NewMessageMethod = "NewMessage";

    /// <summary>The client method that tells members a user is now in the room (the user's first connection joined).</summary>
    public const string MemberJoinedMethod = "MemberJoined";

    /// <summary>The client method that tells members a user is no longer in the room (the user's last connection left).</summary>
    public const string MemberLeftMethod = "MemberLeft";

    private ChatRoomState Room => state.State;

    /// <inheritdoc/>
    protected override bool Exists => state.RecordExists;

    /// <summary>Creates the room with an optional title; fails when the room already exists.</summary>
    [ObjectCreate]
    public async Task<RoomInfo> Create(CreateRoomArgs args)
    {
        Room.Title = args.Title;
        Room.CreatedBy = Caller.User ?? Caller.ObjectId;
        await SaveAsync();
        return Info();
    }

    /// <summary>Adds the calling client to the room; it receives <c>NewMessage</c> pushes until it leaves or disconnects.</summary>
    [ObjectMethod]
    public async Task<RoomInfo> Join()
    {
        var (user, clientId) = RequireClient("join");
        await ForgetGoneMembersAsync();
        if (!Room.Members.ContainsKey(clientId))
        {
            if (Room.Members.Count >= MaxMembers)
            {
                throw new ObjectCallException($"{Id} is full ({MaxMembers} connections).");
            }
            var isNewUser = !Room.Members.ContainsValue(user);
            Room.Members[clientId] = user;
            await SaveAsync();
            if (isNewUser)
            {
                await PushAsync(OtherMembers(clientId), MemberJoinedMethod, new MemberChange(Id.ToString(), user));
            }
        }
        WatchCallerDisconnect();
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

    /// <summary>Stores a message and pushes it to every member except the sending client.</summary>
    [ObjectMethod]
    public async Task<ChatMessage> SendMessage(SendMessageArgs args)
    {
        var (user, clientId) = RequireClient("send messages");
        if (!Room.Members.ContainsKey(clientId))
        {
            throw new ObjectCallException($"Join {Id} before sending messages to it.");
        }
        await ForgetGoneMembersAsync();
        var text = args.Text.Trim();
        if (text.Length == 0)
        {
            throw new ObjectCallException("text must not be empty.");
        }
        if (text.Length > MaxTextLength)
        {
            throw new ObjectCallException($"text is {text.Length} characters long; the limit is {MaxTextLength}.");
        }

        var message = new ChatMessage
        {
            Room = Id.ToString(),
            Seq = Room.LastSeq + 1,
            User = user,
            Text = text,
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await StoreAsync(message);

        await PushAsync(OtherMembers(clientId), NewMessageMethod, message);
        return message;
    }

    /// <summary>Returns stored messages with a sequence number above <c>afterSeq</c>, oldest first.</summary>
    [ObjectMethod]
    public Task<MessagesPage> GetMessages(GetMessagesArgs args)
    {
        if (args.Limit is < 1 or > MaxPageSize)
        {
            throw new ObjectCallException($"limit must be between 1 and {MaxPageSize}; it was {args.Limit}.");
        }
        if (args.AfterSeq < 0)
        {
            throw new ObjectCallException($"afterSeq must not be negative; it was {args.AfterSeq}.");
        }
        var page = Room.Messages.Where(m => m.Seq > args.AfterSeq).Take(args.Limit).ToList();
        return Task.FromResult(new MessagesPage(page, Room.LastSeq));
    }

    /// <summary>Returns the user names of the members, sorted, each once.</summary>
    [ObjectMethod]
    public async Task<IReadOnlyList<string>> ListMembers()
    {
        await ForgetGoneMembersAsync();
        return MemberNames();
    }

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
        await SaveAsync();
        foreach (var user in removed.Select(m => m.User).Distinct().Where(user => !Room.Members.ContainsValue(user)))
        {
            await PushAsync([.. Room.Members.Keys], MemberLeftMethod, new MemberChange(Id.ToString(), user));
        }
    }

    private async Task StoreAsync(ChatMessage message)
    {
        Room.Messages.Add(message);
        Room.LastSeq = message.Seq;
        if (Room.Messages.Count > MaxStoredMessages)
        {
            Room.Messages.RemoveAt(0);
        }
        await SaveAsync();
    }

    /// <summary>Writes the state; when that fails, the activation goes away so the next call reloads what is stored.</summary>
    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory changed and storage did not: never serve that difference.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Pushes best-effort: the change is stored and the call succeeds; members that missed the push catch up
    /// with <c>GetMessages</c> and <c>Join</c>.</summary>
    private async Task PushAsync(IReadOnlyList<string> recipients, string method, object payload)
    {
        if (recipients.Count == 0)
        {
            return;
        }
        try
        {
            await push.PushToClientsAsync(recipients, method, payload);
        }
        catch (Exception e)
        {
            ObjectsLog.PushFailed(logger, Id.ToString(), method, e.Message);
        }
    }

    private List<string> OtherMembers(string clientId) => Room.Members.Keys.Where(id => id != clientId).ToList();

    private (string User, string ClientId) RequireClient(string action) =>
        Caller is { User: { } user, ClientId: { } clientId }
            ? (user, clientId)
            : throw new ObjectCallException($"Only a connected client can {action} in {Id}.");

    private RoomInfo Info() => new(Id.ToString(), Room.Title, Room.LastSeq, MemberNames());

    private IReadOnlyList<string> MemberNames() =>
        Room.Members.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
