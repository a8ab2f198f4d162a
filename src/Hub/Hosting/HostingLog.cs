namespace SignalRChat.Hub.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Critical, "Still stopping after {Deadline}; exiting now. Is the cluster's Redis reachable?", EventName = "ShutdownDeadlinePassed")]
    public static partial void ShutdownDeadlinePassed(ILogger logger, TimeSpan deadline);

    [LoggerMessage(2, LogLevel.Information, "Clients may: {Rules}", EventName = "AccessRules")]
    public static partial void AccessRules(ILogger logger, string rules);

    [LoggerMessage(4, LogLevel.Information, "Stopping: closed {Closed} of {Open} connection(s) with reconnect allowed; {Left} still open after {Wait}. New connections are refused.", EventName = "Drained")]
    public static partial void Drained(ILogger logger, int open, int closed, int left, TimeSpan wait);

    [LoggerMessage(3, LogLevel.Warning, "The web client is not in {Folder}: / serves no page. Build the hub with Node.js and npm installed to include it.", EventName = "WebClientMissing")]
    public static partial void WebClientMissing(ILogger logger, string folder);
}
