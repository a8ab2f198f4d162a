namespace SignalRChat.Hub.Hosting;

/// <summary>
/// Bounds how long the process takes to stop. The graceful part is <see cref="ClusterOptions.ShutdownTimeout"/>; when
/// the cluster's Redis is gone, Orleans keeps retrying to record the silo's exit well past it, so the process ends
/// itself <see cref="Grace"/> later. Other silos notice the missing silo through their own probes.
/// </summary>
internal static class ShutdownDeadline
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>Exits the process with code 3 if it is still stopping after the deadline. For the executable only, never a test host.</summary>
    public static void Enforce(WebApplication app)
    {
        var deadline = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.ShutdownTimeout + Grace;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ShutdownDeadline));
        app.Lifetime.ApplicationStopping.Register(() => new Thread(() =>
        {
            Thread.Sleep(deadline);
            HostingLog.ShutdownDeadlinePassed(logger, deadline);
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "shutdown deadline" }.Start());
    }
}
