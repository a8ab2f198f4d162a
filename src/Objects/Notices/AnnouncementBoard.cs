using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Notices;

/// <inheritdoc cref="IAnnouncementBoard"/>
public sealed class AnnouncementBoard(
    [PersistentState("announcements", ObjectStorage.Name)] IPersistentState<AnnouncementBoardState> state,
    IOptions<AnnouncementOptions> options,
    IClientPush push,
    ILogger<AnnouncementBoard> logger) : Grain, IAnnouncementBoard
{
    /// <summary>The client method announcements are pushed with.</summary>
    public const string AnnouncementMethod = "Announcement";

    /// <summary>The most announcements kept for replay, however many were made within the window.</summary>
    public const int MaxKept = 100;

    /// <inheritdoc/>
    public async Task<Announcement> Announce(string text, string? data)
    {
        var announcement = new Announcement($"announcement#{++state.State.Seq}", text, data, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        state.State.Recent = [.. Current(), announcement];
        if (state.State.Recent.Count > MaxKept)
        {
            state.State.Recent.RemoveAt(0);
        }
        await state.WriteStateAsync();
        try
        {
            await push.PushToAllAsync(AnnouncementMethod, announcement, PushPriority.System);
        }
        catch (Exception e)
        {
            // Stored: connections opening within the replay window still receive it.
            ObjectsLog.PushFailed(logger, IAnnouncementBoard.Key, AnnouncementMethod, e.Message);
        }
        return announcement;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Announcement>> Recent() => Task.FromResult<IReadOnlyList<Announcement>>(Current());

    private List<Announcement> Current()
    {
        var since = (DateTimeOffset.UtcNow - options.Value.Replay).ToUnixTimeMilliseconds();
        return [.. state.State.Recent.Where(a => a.Timestamp >= since)];
    }
}
