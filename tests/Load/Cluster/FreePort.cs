using System.Net;
using System.Net.Sockets;

namespace SignalRChat.Load.Cluster;

/// <summary>A loopback port nothing listens on right now, for a process the tool is about to start.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
