namespace SignalRChat.Hub.Hubs;

internal static partial class HubLog
{
    [LoggerMessage(1, LogLevel.Error, "{Operation} on {ObjectId} failed in the object runtime. ({Suppressed} more such failures not logged)", EventName = "ObjectRuntimeFailed")]
    public static partial void RuntimeFailed(ILogger logger, Exception exception, string operation, string objectId, int suppressed);

    [LoggerMessage(2, LogLevel.Warning, "Could not tell {ObjectId} that client {ClientId} disconnected: {Reason} ({Suppressed} more such failures not logged)", EventName = "DisconnectNoticeFailed")]
    public static partial void DisconnectNoticeFailed(ILogger logger, string objectId, string clientId, string reason, int suppressed);

    [LoggerMessage(3, LogLevel.Information, "Client {ClientId} is watched by {Limit} objects already; refused the watch of {ObjectId}.", EventName = "WatchLimitReached")]
    public static partial void WatchLimitReached(ILogger logger, string clientId, int limit, string objectId);

    [LoggerMessage(4, LogLevel.Debug, "Refused {Method}: {Reason}", EventName = "CallRefused")]
    public static partial void CallRefused(ILogger logger, string method, string reason);

    [LoggerMessage(5, LogLevel.Error, "Hub method {Method} failed for connection {ConnectionId}. ({Suppressed} more such failures not logged)", EventName = "HubMethodFailed")]
    public static partial void MethodFailed(ILogger logger, Exception exception, string method, string connectionId, int suppressed);

    [LoggerMessage(7, LogLevel.Warning, "{Operation} on {ObjectId} did not complete within {Timeout}; the client was told the outcome is unknown.", EventName = "ObjectCallTimedOut")]
    public static partial void CallTimedOut(ILogger logger, string operation, string objectId, TimeSpan timeout);

    [LoggerMessage(8, LogLevel.Information, "Closed a new connection of {User}: {Reason} ({Suppressed} more such refusals not logged)", EventName = "ConnectionRefused")]
    public static partial void ConnectionRefused(ILogger logger, string user, string reason, int suppressed);

    [LoggerMessage(6, LogLevel.Warning, "Could not replay recent announcements to a new connection: {Reason}", EventName = "AnnouncementReplayFailed")]
    public static partial void ReplayFailed(ILogger logger, string reason);
}
