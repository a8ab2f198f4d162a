namespace SignalRChat.Hub.Auth;

internal static partial class AuthLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not read the token denylist from Redis: {Reason}. Revocations made meanwhile apply here once it is read again.", EventName = "DenylistLoadFailed")]
    public static partial void DenylistLoadFailed(ILogger logger, string reason);
}
