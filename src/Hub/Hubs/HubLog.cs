namespace SignalRChat.Hub.Hubs;

internal static partial class HubLog
{
    [LoggerMessage(1, LogLevel.Error, "{Operation} on {ObjectId} failed in the object runtime.", EventName = "ObjectRuntimeFailed")]
    public static partial void RuntimeFailed(ILogger logger, Exception exception, string operation, string objectId);

    [LoggerMessage(2, LogLevel.Warning, "Could not tell {ObjectId} that client {ClientId} disconnected.", EventName = "DisconnectNoticeFailed")]
    public static partial void DisconnectNoticeFailed(ILogger logger, Exception exception, string objectId, string clientId);

    [LoggerMessage(3, LogLevel.Warning, "Client {ClientId} is watched by {Limit} objects already; refused the watch of {ObjectId}.", EventName = "WatchLimitReached")]
    public static partial void WatchLimitReached(ILogger logger, string clientId, int limit, string objectId);

    [LoggerMessage(4, LogLevel.Debug, "Refused {Method}: {Reason}", EventName = "CallRefused")]
    public static partial void CallRefused(ILogger logger, string method, string reason);

    [LoggerMessage(5, LogLevel.Error, "Hub method {Method} failed for connection {ConnectionId}.", EventName = "HubMethodFailed")]
    public static partial void MethodFailed(ILogger logger, Exception exception, string method, string connectionId);

    [LoggerMessage(7, LogLevel.Warning, "{Operation} on {ObjectId} did not complete within {Timeout}; the client was told the outcome is unknown.", EventName = "ObjectCallTimedOut")]
    public static partial void CallTimedOut(ILogger logger, string operation, string objectId, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Warning, "Could not replay recent announcements to a new connection: {Reason}", EventName = "AnnouncementReplayFailed")]
    public static partial void ReplayFailed(ILogger logger, string reason);
}
