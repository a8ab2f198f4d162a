namespace SignalRChat.Hub.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(1, LogLevel.Warning, "Refused a call to {Interface}.{Method} without the cluster secret: is a foreign Orleans client reaching the gateway port? ({Suppressed} more such refusals not logged)", EventName = "CallWithoutSecret")]
    public static partial void CallWithoutSecret(ILogger logger, string @interface, string method, int suppressed);
}
