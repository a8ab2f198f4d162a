namespace SignalRChat.Hub.Presence;

internal static partial class PresenceLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not tell the player of {User} about {Subject}: {Reason} ({Suppressed} more such failures not logged)", EventName = "PresenceNoticeFailed")]
    public static partial void NoticeFailed(ILogger logger, string user, string subject, string reason, int suppressed);

    [LoggerMessage(2, LogLevel.Warning, "Could not read the users of gone instance {InstanceId}; their players notice on their own check.", EventName = "PresenceSweepFailed")]
    public static partial void SweepFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(3, LogLevel.Information, "Told the players of {Count} user(s) of gone instance {InstanceId}.", EventName = "PresenceSwept")]
    public static partial void Swept(ILogger logger, string instanceId, int count);
}
