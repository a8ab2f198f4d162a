using Microsoft.Extensions.Logging;

namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Pushes for objects whose change is already stored: the call succeeds whatever the push does, and a failed push is
/// logged. Recipients that missed it catch up by reading (a history's <c>GetMessages</c>, a member list).
/// </summary>
internal static class BestEffortPush
{
    public static Task ToClientsAsync(this IClientPush push, ILogger logger, string objectId, IReadOnlyList<string> clientIds, string method, object payload,
        PushPriority priority = PushPriority.Chat, string? subject = null) =>
        clientIds.Count == 0 ? Task.CompletedTask : RunAsync(() => push.PushToClientsAsync(clientIds, method, payload, priority, subject), logger, objectId, method);

    public static Task ToUsersAsync(this IClientPush push, ILogger logger, string objectId, IReadOnlyList<string> users, string method, object payload,
        PushPriority priority = PushPriority.Chat, string? subject = null) =>
        users.Count == 0 ? Task.CompletedTask : RunAsync(() => push.PushToUsersAsync(users, method, payload, priority, subject), logger, objectId, method);

    private static async Task RunAsync(Func<Task> push, ILogger logger, string objectId, string method)
    {
        try
        {
            await push();
        }
        catch (Exception e)
        {
            ObjectsLog.PushFailed(logger, objectId, method, e.Message);
        }
    }
}
