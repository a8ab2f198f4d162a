namespace SignalRChat.Push.Internal;

internal static partial class InstancesLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not refresh the instance directory; keeping what is known.", EventName = "InstanceDirectoryRefreshFailed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Hub instance {InstanceId} is gone: it stopped sending heartbeats.", EventName = "InstanceGone")]
    public static partial void InstanceGone(ILogger logger, string instanceId);

    [LoggerMessage(3, LogLevel.Warning, "This instance recorded no heartbeat for {Silence}; closing its {Connections} connections so their clients reconnect and join again.", EventName = "InstanceWasSilent")]
    public static partial void WasSilent(ILogger logger, TimeSpan silence, int connections);
}
