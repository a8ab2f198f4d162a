using System.Diagnostics;

namespace SignalRChat.Load.Cluster;

/// <summary>Stops a process this tool started: asks it first, waits, then kills it.</summary>
internal static class ChildProcessStop
{
    /// <param name="process">The process; disposed of afterwards.</param>
    /// <param name="ask">How to ask it to stop (close its input, send SIGTERM).</param>
    /// <param name="grace">How long it may take before it is killed.</param>
    public static async Task StopAsync(Process process, Action<Process> ask, TimeSpan grace)
    {
        if (!process.HasExited)
        {
            ask(process);
            try
            {
                await process.WaitForExitAsync().WaitAsync(grace);
            }
            catch (TimeoutException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        process.Dispose();
    }
}
