using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Quotas;
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
    IOptions<QuotaOptions> quotas,
    ILogger<ChatRoom> logger) : RoomChannel(state, log, history.Value.ChatRoom, push, clients, logger), IRemindable
{
    private const string ExpiryReminder = "expire-when-unused";

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
        var creator = Caller.User ?? Caller.ObjectId!;
        Room.CreatedBy = creator;
        if (Caller.User is { } user && Room.Maker is null)
        {
            try
            {
                await ReserveAsync(user);
            }
            catch (ObjectCallException)
            {
                Room.CreatedBy = null;
                throw;
            }
        }
        Room.Title = title;
        Room.Private = args.Private;
        await SaveAsync();
        if (Room.Members.Count == 0)
        {
            await ScheduleExpiryAsync();
        }
        return Info();
    }

    /// <inheritdoc/>
    protected override Task OnMakingAsync(string user) => ReserveAsync(user);

    /// <inheritdoc/>
    /// <remarks>A join does not cancel it (that would cost two reminder-table round trips on a join): a tick that finds
    /// members ends it, and the next emptying schedules it afresh.</remarks>
    protected override Task OnEmptiedAsync() => ScheduleExpiryAsync();

    /// <summary>Deletes the room once it has been without members for <c>Quotas:RoomIdleExpiry</c>.</summary>
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }
        if (Room.Members.Count > 0 || !Exists)
        {
            // Used again since it emptied (or already gone): nothing to delete.
            await CancelExpiryAsync();
            return;
        }
        // Its maker's place is freed first, so once the room is gone from the store its place is free too. Each step
        // may be repeated: if one fails, the reminder stays and its next tick tries again.
        if (Room.Maker is { } maker)
        {
            await ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IPlayerGrain>(Player.IdOf(maker).ToGrainId()).ReleaseRoom(Id.ToString());
        }
        await DeleteAsync();
        ObjectsLog.RoomExpired(logger, Id.ToString(), quotas.Value.RoomIdleExpiry);
        await CancelExpiryAsync();
    }

    /// <summary>Counts the room against <paramref name="user"/>'s <c>Quotas:RoomsPerUser</c>, or refuses.</summary>
    private async Task ReserveAsync(string user)
    {
        var player = ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IPlayerGrain>(Player.IdOf(user).ToGrainId());
        if (await player.ReserveRoom(Id.ToString()) is { } refusal)
        {
            throw new ObjectCallException(refusal);
        }
        Room.Maker = user;
    }

    private async Task CancelExpiryAsync()
    {
        try
        {
            if (await this.GetReminder(ExpiryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception e) when (e is not ObjectCallException)
        {
            // It fires again (at most a day later) and tries again.
            ObjectsLog.ReminderFailed(logger, Id.ToString(), e.Message);
        }
    }

    private async Task ScheduleExpiryAsync()
    {
        var expiry = quotas.Value.RoomIdleExpiry;
        try
        {
            // Due once the room has been unused that long; repeated (at most daily) in case a tick is missed.
            await this.RegisterOrUpdateReminder(ExpiryReminder, expiry, expiry < TimeSpan.FromDays(1) ? expiry : TimeSpan.FromDays(1));
        }
        catch (Exception e)
        {
            ObjectsLog.ReminderFailed(logger, Id.ToString(), e.Message);
        }
    }
}
