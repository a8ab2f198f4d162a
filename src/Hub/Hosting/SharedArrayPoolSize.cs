namespace SignalRChat.Hub.Hosting;

/// <summary>
/// Lets the shared <see cref="System.Buffers.ArrayPool{T}"/> keep more arrays of each size than the runtime's 32 per
/// core. Every write to a SignalR connection rents a 4 KiB buffer from it for the connection's pipe and gives it back
/// once the transport has sent the bytes. An instance that writes to thousands of connections at once has more of
/// them out than the pool keeps: the rest are allocated anew, and dropped when they come back. In the presence
/// benchmark at 1,000 changes/s that was three quarters of everything an instance allocated, and most of its gen0
/// collections.
/// </summary>
/// <remarks>
/// The runtime reads the size once, from the environment only, when a shared pool is first used: <see cref="Apply"/>
/// runs first thing in the process. An operator's own value of <see cref="Variable"/> is kept.
/// </remarks>
internal static class SharedArrayPoolSize
{
    /// <summary>The environment variable the runtime reads.</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Arrays of each size kept per core: at most 4 MiB of 4 KiB buffers per core, held only once they were needed.</summary>
    public const string ArraysPerCore = "1024";

    /// <summary>Sets <see cref="Variable"/> for this process, unless it is set already.</summary>
    public static void Apply()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerCore);
        }
    }
}
