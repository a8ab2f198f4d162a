using Microsoft.Extensions.Logging;

namespace SignalRChat.Objects.Runtime;

internal static partial class ObjectsLog
{
    [LoggerMessage(1, LogLevel.Error, "Object {ObjectId} failed in {Method}.", EventName = "ObjectCallFailed")]
    public static partial void CallFailed(ILogger logger, Exception exception, string objectId, string method);

    [LoggerMessage(2, LogLevel.Warning, "Push of {Method} from {ObjectId} failed: {Reason}", EventName = "ObjectPushFailed")]
    public static partial void PushFailed(ILogger logger, string objectId, string method, string reason);

    [LoggerMessage(3, LogLevel.Warning, "{ObjectId} could not tell {Target} of a change.", EventName = "ObjectNoticeFailed")]
    public static partial void NoticeFailed(ILogger logger, Exception exception, string objectId, string target);

    [LoggerMessage(4, LogLevel.Warning, "{ObjectId} could not store {What}; the next activation reads what is stored.", EventName = "ObjectStoreFailed")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string objectId, string what);

    [LoggerMessage(5, LogLevel.Warning, "{ObjectId} could not schedule or cancel its expiry: {Reason}", EventName = "ReminderFailed")]
    public static partial void ReminderFailed(ILogger logger, string objectId, string reason);

    [LoggerMessage(6, LogLevel.Information, "{ObjectId} had no members for {Expiry}: deleted it and its history.", EventName = "RoomExpired")]
    public static partial void RoomExpired(ILogger logger, string objectId, TimeSpan expiry);
}
