using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// Many minimal clients spread evenly over the hub instances, kept alive with pings. Client i of the whole crowd
/// connects from loopback source address number i / 15,000 (127.0.0.1, 127.0.0.2 …), so a crowd split over worker
/// processes uses one address per worker and no address runs short of ports.
/// </summary>
internal sealed class Crowd : IAsyncDisposable
{
    /// <summary>Connections per source address: well under the 28,000 ephemeral ports Linux has by default.</summary>
    private const int ConnectionsPerAddress = 15_000;
    private const int ConnectAttempts = 5;
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15); // as the official clients do
    private const int PingSlices = 150; // a slice every 100 ms
    private readonly MinimalHubClient[] _clients;
    private readonly List<HttpMessageInvoker> _invokers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pinging;

    private Crowd(MinimalHubClient[] clients, List<HttpMessageInvoker> invokers)
    {
        _clients = clients;
        _invokers = invokers;
        _pinging = PingAsync();
    }

    public IReadOnlyList<MinimalHubClient> Clients => _clients;

    /// <summary>Seconds the connects took, from the first to the last.</summary>
    public double ConnectSeconds { get; private init; }

    /// <summary>Connects that failed and were tried again.</summary>
    public int ConnectRetries { get; private init; }

    /// <summary>
    /// Connects <paramref name="count"/> clients, client i to <c>hubs[(first + i) % hubs.Count]</c> (so crowds split
    /// over several processes still spread evenly), a bounded number at a time.
    /// </summary>
    /// <param name="sinkFor">What receives client i's invocations.</param>
    /// <param name="progress">Called with the number connected so far.</param>
    /// <param name="parallel">How many connects are under way at once.</param>
    /// <param name="tokenFor">The access token of client i.</param>
    /// <param name="path">The hub's path on each instance: the bench hub, or the product's <c>/hub</c>.</param>
    public static async Task<Crowd> ConnectAsync(IReadOnlyList<string> hubs, int count, Func<int, string> tokenFor, bool messagePack,
        Func<int, IInvocationSink> sinkFor, Action<int>? progress = null, int first = 0, int parallel = 64,
        string path = Server.BenchHub.Path, CancellationToken cancellationToken = default)
    {
        var frames = HubFrames.For(messagePack);
        var firstAddress = first / ConnectionsPerAddress;
        var invokers = Enumerable.Range(firstAddress, (first + count - 1) / ConnectionsPerAddress - firstAddress + 1)
            .Select(a => new HttpMessageInvoker(BoundTo(new IPAddress([127, 0, (byte)(a / 250), (byte)(a % 250 + 1)])))).ToList();
        var clients = new MinimalHubClient[count];
        var connected = 0;
        var retries = 0;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            clients[i] = await MinimalHubClient.ConnectAsync(hubs[(first + i) % hubs.Count] + path, tokenFor(i), frames, sinkFor(i),
                                invokers[(first + i) / ConnectionsPerAddress - firstAddress], ct);
                            break;
                        }
                        catch (Exception e) when (attempt < ConnectAttempts && e is not OperationCanceledException)
                        {
                            // A busy instance timed the handshake out: try again after a pause, as a real client would.
                            Interlocked.Increment(ref retries);
                            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
                        }
                    }
                    progress?.Invoke(Interlocked.Increment(ref connected));
                });
        }
        catch
        {
            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
            invokers.ForEach(invoker => invoker.Dispose());
            throw;
        }
        return new Crowd(clients, invokers) { ConnectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds, ConnectRetries = retries };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pinging;
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        _invokers.ForEach(invoker => invoker.Dispose());
    }

    /// <summary>
    /// Pings every client once per <see cref="PingEvery"/>, a slice at a time spread evenly over the period, as the
    /// keep-alive timers of independent clients are. All of them at once would be a burst no real crowd sends: with
    /// 5,000 clients per instance it queued about 900 work items and held deliveries up for 300 ms every 15 s.
    /// </summary>
    private async Task PingAsync()
    {
        using var timer = new PeriodicTimer(PingEvery / PingSlices);
        try
        {
            for (var slice = 0; await timer.WaitForNextTickAsync(_stop.Token); slice = (slice + 1) % PingSlices)
            {
                var from = (int)((long)_clients.Length * slice / PingSlices);
                var to = (int)((long)_clients.Length * (slice + 1) / PingSlices);
                await Parallel.ForEachAsync(_clients[from..to], new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = _stop.Token },
                    async (client, ct) =>
                    {
                        try
                        {
                            await client.PingAsync(ct);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // A closed connection: counted when the broadcast or the messages do not arrive.
                        }
                    });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Opens connections from <paramref name="source"/>; the kernel picks the port at connect time, per destination.</summary>
    private static SocketsHttpHandler BoundTo(IPAddress source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                const int IpBindAddressNoPort = 24;
                socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
