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
    /// <summary>Creates the room with an optional title; fails when the room already exists.</summary>
    [ObjectCreate]
    public async Task<RoomInfo> Create(CreateRoomArgs args)
    {
        if (Room.CreatedBy is not null)
        {
            // Calls interleave: another Create is storing this room right now.
            throw new ObjectCallException(ObjectErrors.AlreadyExists(Id));
        }
        Room.Title = args.Title;
        Room.CreatedBy = Caller.User ?? Caller.ObjectId;
        await SaveAsync();
        return Info();
    }
}
