using System.Net;
using System.Net.Sockets;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Tests.Load;

public sealed class FreePortTests
{
    [Fact]
    public void Ports_AreDistinct_Listenable_AndBelowTheEphemeralRangeWhenThereIsRoom()
    {
        var ephemeralLowest = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);

        var ports = Enumerable.Range(0, 50).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        if (ephemeralLowest - 10_000 > 1000) // else FreePort takes kernel-chosen ports: there is no room below the range
        {
            Assert.All(ports, port => Assert.InRange(port, 10_000, ephemeralLowest - 1));
        }
        foreach (var port in ports.Take(5))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
