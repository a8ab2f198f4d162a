using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// A chat room (<c>ChatRoom-{name}</c>): anyone may join, per connection; <c>Create</c> gives it a title first. Its
/// history is kept by <c>History:ChatRoom</c>.
/// </summary>
[ObjectType("ChatRoom")]
[Reentrant]
public sealed class ChatRoom(
    [PersistentState("state", ObjectStorage.Name)] IPersistentState<ChatRoomState> state,
    IMessageLog log,
    IOptions<HistoryOptions> history,
    IClientPush push,
    IClientDirectory clients,
    ILogger<ChatRoom> logger) : RoomChannel(state, log, history.Value.ChatRoom, push, clients, logger)
{
    /// <summary>The longest title, in characters.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Creates the room with an optional title (trimmed; empty is none); fails when the room already exists.</summary>
    [ObjectCreate]
    public async Task<RoomInfo> Create(CreateRoomArgs args)
    {
        var title = string.IsNullOrWhiteSpace(args.Title) ? null : args.Title.Trim();
        if (title is not null)
        {
            TextRules.Check("title", title, MaxTitleLength);
        }
        if (Room.CreatedBy is not null)
        {
            // Calls interleave: another Create is storing this room right now.
            throw new ObjectCallException(ObjectErrors.AlreadyExists(Id));
        }
        Room.Title = title;
        Room.Private = args.Private;
        Room.CreatedBy = Caller.User ?? Caller.ObjectId;
        await SaveAsync();
        return Info();
    }
}
