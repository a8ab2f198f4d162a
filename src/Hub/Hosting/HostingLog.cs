namespace SignalRChat.Hub.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Critical, "Still stopping after {Deadline}; exiting now. Is the cluster's Redis reachable?", EventName = "ShutdownDeadlinePassed")]
    public static partial void ShutdownDeadlinePassed(ILogger logger, TimeSpan deadline);

    [LoggerMessage(2, LogLevel.Information, "Clients may: {Rules}", EventName = "AccessRules")]
    public static partial void AccessRules(ILogger logger, string rules);

    [LoggerMessage(3, LogLevel.Warning, "The web client is not in {Folder}: / serves no page. Build the hub with Node.js and npm installed to include it.", EventName = "WebClientMissing")]
    public static partial void WebClientMissing(ILogger logger, string folder);
}
