namespace SignalRChat.Hub.Hubs;

internal static partial class HubLog
{
    [LoggerMessage(1, LogLevel.Error, "{Operation} on {ObjectId} failed in the object runtime.", EventName = "ObjectRuntimeFailed")]
    public static partial void RuntimeFailed(ILogger logger, Exception exception, string operation, string objectId);

    [LoggerMessage(2, LogLevel.Warning, "Could not tell {ObjectId} that client {ClientId} disconnected.", EventName = "DisconnectNoticeFailed")]
    public static partial void DisconnectNoticeFailed(ILogger logger, Exception exception, string objectId, string clientId);

    [LoggerMessage(3, LogLevel.Warning, "Client {ClientId} is watched by {Limit} objects already; {ObjectId} will not hear of its disconnect.", EventName = "WatchLimitReached")]
    public static partial void WatchLimitReached(ILogger logger, string clientId, int limit, string objectId);
}
