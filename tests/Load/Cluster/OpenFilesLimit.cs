using System.Runtime.InteropServices;

namespace SignalRChat.Load.Cluster;

/// <summary>Raises this process's open-files limit (inherited by the instances it starts): one per connection, each side.</summary>
internal static partial class OpenFilesLimit
{
    private const int RlimitNofile = 7;

    /// <summary>Raises the soft limit, and the hard limit where allowed (root), to at least <paramref name="wanted"/>.</summary>
    /// <returns>The soft limit now in force.</returns>
    public static ulong Raise(ulong wanted)
    {
        if (!OperatingSystem.IsLinux() || getrlimit(RlimitNofile, out var limit) != 0)
        {
            return 0;
        }
        if (limit.Current >= wanted)
        {
            return limit.Current;
        }
        var raised = new Rlimit { Current = wanted, Maximum = Math.Max(wanted, limit.Maximum) };
        if (setrlimit(RlimitNofile, ref raised) != 0)
        {
            raised = limit with { Current = limit.Maximum }; // not root: as far as the hard limit goes
            setrlimit(RlimitNofile, ref raised);
        }
        return getrlimit(RlimitNofile, out limit) == 0 ? limit.Current : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct Rlimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, ref Rlimit limit);
}
