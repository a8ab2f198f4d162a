namespace SignalRChat.Hub.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not publish or read the instances' loads: {Reason}. Retrying at the next sample. ({Suppressed} more such failures not logged)", EventName = "LoadRefreshFailed")]
    public static partial void LoadRefreshFailed(ILogger logger, string reason, int suppressed);

    [LoggerMessage(2, LogLevel.Debug, "Sent a negotiating client of {User} to {InstanceId} ({Url}).", EventName = "Redirected")]
    public static partial void Redirected(ILogger logger, string user, string instanceId, string url);

    [LoggerMessage(3, LogLevel.Warning, "Could not count the grains per type: {Reason}. ({Suppressed} more such failures not logged)", EventName = "GrainCountFailed")]
    public static partial void GrainCountFailed(ILogger logger, string reason, int suppressed);
}
