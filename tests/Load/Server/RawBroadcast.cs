using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Load.Server;

/// <summary>
/// The two sides of the <c>floor</c> scenario, each a child process of the tool: a plain TCP server that writes one
/// small frame to every connection it holds, in a loop of synchronous sends, and a reader that holds the connections
/// and times each frame's arrival. No WebSocket, no SignalR, no backplane: what a broadcast costs on this machine
/// before any of ours.
/// </summary>
internal static class RawBroadcast
{
    public const string ServeCommand = "raw-serve";
    public const string ReadCommand = "raw-read";

    /// <summary>The frame: a <see cref="Stopwatch"/> timestamp, padded to the size of a small push.</summary>
    public const int FrameBytes = 64;

    /// <summary>
    /// <c>raw-serve N</c>: listens on a free loopback port (prints <c>port P</c>), accepts N connections (prints
    /// <c>accepted</c>), then for each line <c>send T</c> waits until <see cref="Stopwatch"/> millisecond T and writes
    /// the frame to every connection (prints <c>sent MS</c>, the loop's time). Ends on end of input.
    /// </summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        OpenFilesLimit.Raise((ulong)count + 1_000);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        Console.WriteLine($"port {((IPEndPoint)listener.LocalEndPoint!).Port}");
        var sockets = new List<Socket>(count);
        while (sockets.Count < count)
        {
            var socket = await listener.AcceptAsync();
            socket.NoDelay = true;
            sockets.Add(socket);
        }
        Console.WriteLine("accepted");
        var frame = new byte[FrameBytes];
        while (Console.ReadLine() is { } line && line.StartsWith("send ", StringComparison.Ordinal))
        {
            var due = long.Parse(line[5..], CultureInfo.InvariantCulture);
            while (NowMs() < due)
            {
                Thread.Sleep(1);
            }
            BitConverter.TryWriteBytes(frame, Stopwatch.GetTimestamp());
            var started = Stopwatch.GetTimestamp();
            foreach (var socket in sockets)
            {
                socket.Send(frame);
            }
            Console.WriteLine(FormattableString.Invariant($"sent {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1}"));
        }
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
        return 0;
    }

    /// <summary>
    /// <c>raw-read PORT N ROUNDS FILE</c>: opens N connections to the server (prints <c>connected</c>), reads ROUNDS
    /// frames on each with asynchronous receives, then writes every latency (Stopwatch ticks, round by round) to FILE
    /// and prints <c>done</c>.
    /// </summary>
    public static async Task<int> ReadAsync(string[] args)
    {
        var port = int.Parse(args[0], CultureInfo.InvariantCulture);
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        var rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
        OpenFilesLimit.Raise((ulong)count + 1_000);
        var sockets = new Socket[count];
        for (var i = 0; i < count; i++)
        {
            sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await sockets[i].ConnectAsync(IPAddress.Loopback, port);
        }
        Console.WriteLine("connected");
        var ticks = new long[rounds * count];
        await Task.WhenAll(sockets.Select((socket, i) => ReceiveAsync(socket, i)));
        await using (var file = File.Create(args[3]))
        {
            await file.WriteAsync(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ticks.AsSpan()).ToArray());
        }
        Console.WriteLine("done");
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
        return 0;

        async Task ReceiveAsync(Socket socket, int index)
        {
            var buffer = new byte[FrameBytes];
            for (var round = 0; round < rounds; round++)
            {
                for (var got = 0; got < FrameBytes;)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None);
                    got += read > 0 ? read : throw new InvalidOperationException("The server closed a connection before the last round.");
                }
                ticks[round * count + index] = Stopwatch.GetTimestamp() - BitConverter.ToInt64(buffer);
            }
        }
    }

    /// <summary>Milliseconds on the <see cref="Stopwatch"/> clock, which every process on the machine shares.</summary>
    public static long NowMs() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;
}
