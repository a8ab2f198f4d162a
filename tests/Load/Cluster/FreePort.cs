using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SignalRChat.Load.Cluster;

/// <summary>
/// A loopback port nothing listens on right now, for a process about to start. It is chosen below the kernel's
/// ephemeral range (<c>net.ipv4.ip_local_port_range</c>), so no outgoing connection can take it before that process
/// binds it: with thousands of client connections opening, a port the kernel handed out as free is soon some
/// connection's local port, and the process fails to start with "address already in use".
/// </summary>
internal static class FreePort
{
    private const int Lowest = 10_000;
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";
    private static readonly int Highest = EphemeralLowest() - 1;
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        if (Highest - Lowest < 1000)
        {
            return KernelChosen(); // an unusual port range: take what the kernel gives
        }
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, Highest + 1);
                if (!Given.Contains(port) && CanListen(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"No free loopback port from {Lowest} to {Highest}.");
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int KernelChosen()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralLowest()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRange).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768; // Linux's default
        }
    }
}
