using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SignalRChat.Load.Chaos;

/// <summary>
/// One member of the chaos room, on the official .NET client, doing what the README advises: reconnect forever with
/// backoff (to the next instance, as a load balancer would send it), then <c>Join</c> again and catch up with
/// <c>GetMessages</c>; catch up on a gap in <c>seq</c> and on <c>Resync</c>; count what <c>truncated</c> says is gone;
/// send with a <c>clientMessageId</c> and retry temporary failures with the same one; time every call out, and drop a
/// connection whose call got no answer at all (its instance may be frozen) to connect again elsewhere.
/// </summary>
internal sealed class ChaosMember : IAsyncDisposable
{
    /// <summary>The client's own invocation timeout, above the server's <c>Objects:CallTimeout</c> (5 s).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private static readonly int[] ReconnectDelaysMs = [0, 250, 500, 1000, 2000];
    private static readonly int[] SendRetryDelaysMs = [100, 250, 500, 1000, 2000, 2000, 2000, 2000];
    private readonly Func<IReadOnlyList<string>> _urls;
    private readonly string _room;
    private readonly bool _messagePack;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly ConcurrentDictionary<long, string> _seen = new();
    private readonly Task _loop;
    private int _url;
    private long _lastSeq;
    private HubConnection? _connection;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<(long Lost, long Back)> _outages = new();

    /// <param name="urls">The instances' URLs as they are now (a replaced instance has a new one).</param>
    public ChaosMember(string user, Func<IReadOnlyList<string>> urls, int firstUrl, string room, bool messagePack)
    {
        User = user;
        _urls = urls;
        _url = firstUrl;
        _room = room;
        _messagePack = messagePack;
        _loop = Task.Run(ConnectForeverAsync);
    }

    public string User { get; }

    /// <summary>Messages this member has shown, by seq.</summary>
    public IReadOnlyDictionary<long, string> Seen => _seen;

    /// <summary>How many messages the server said are no longer kept (this member was told of those gaps).</summary>
    public long GapsTold { get; private set; }

    /// <summary>The URL of the instance this member is connected to now, or was last.</summary>
    public string Url => _urls()[_url % _urls().Count];

    /// <summary>Each time the member lost its connection and when it was back in the room (Stopwatch timestamps).</summary>
    public IEnumerable<(long Lost, long Back)> Outages => _outages;

    /// <summary>Completes once the member is connected and has joined the room (again).</summary>
    public Task Connected => _connected.Task;

    /// <summary>Sends one message as the README says: one clientMessageId, retried while the failure is temporary.</summary>
    public async Task<SendOutcome> SendAsync(string text, Action<CallTiming> timed)
    {
        var id = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var connection = _connection;
            if (connection is null || connection.State != HubConnectionState.Connected)
            {
                await Task.WhenAny(_connected.Task, Task.Delay(CallTimeout));
                connection = _connection;
            }
            var url = Url;
            var attemptStarted = Stopwatch.GetTimestamp();
            try
            {
                if (connection is null || connection.State != HubConnectionState.Connected)
                {
                    throw new InvalidOperationException("not connected");
                }
                using var timeout = new CancellationTokenSource(CallTimeout);
                var message = await connection.InvokeAsync<ChaosMessage>("Call", _room, "SendMessage", new Dictionary<string, object> { ["text"] = text, ["clientMessageId"] = id }, timeout.Token);
                timed(new CallTiming(url, Stopwatch.GetElapsedTime(attemptStarted), Completed: true));
                return new SendOutcome(message.Seq, attempt, Stopwatch.GetElapsedTime(started), null);
            }
            catch (Exception e) when (IsTemporary(e))
            {
                timed(new CallTiming(url, Stopwatch.GetElapsedTime(attemptStarted), Completed: false));
                if (e is OperationCanceledException)
                {
                    // No answer at all, not even the server's own timeout: the instance may be frozen. Connect elsewhere.
                    _abandoned.TrySetResult();
                }
                if (attempt >= SendRetryDelaysMs.Length || _stop.IsCancellationRequested)
                {
                    return new SendOutcome(null, attempt, Stopwatch.GetElapsedTime(started), e.Message);
                }
                await Task.Delay(SendRetryDelaysMs[attempt]);
            }
            catch (HubException e)
            {
                timed(new CallTiming(url, Stopwatch.GetElapsedTime(attemptStarted), Completed: true));
                return new SendOutcome(null, attempt, Stopwatch.GetElapsedTime(started), e.Message);
            }
        }
    }

    /// <summary>Catches up to the room's last message (used at the end, after the last fault).</summary>
    public Task CatchUpAsync() => _connection is { State: HubConnectionState.Connected } connection ? CatchUpAsync(connection) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
        await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static bool IsTemporary(Exception e) =>
        e is not HubException || e.Message.Contains("HubException: [temporary] ", StringComparison.Ordinal) || e.Message.StartsWith("[temporary] ", StringComparison.Ordinal);

    private async Task ConnectForeverAsync()
    {
        long? lost = null;
        for (var failures = 0; !_stop.IsCancellationRequested;)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var connection = Build(Url);
            connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
            try
            {
                using var timeout = new CancellationTokenSource(CallTimeout);
                await connection.StartAsync(timeout.Token);
                _connection = connection;
                await connection.InvokeAsync<ChaosRoomInfo>("Call", _room, "Join", null, timeout.Token);
                await CatchUpAsync(connection);
                failures = 0;
                if (lost is { } since)
                {
                    _outages.Enqueue((since, Stopwatch.GetTimestamp()));
                    lost = null;
                }
                _connected.TrySetResult();
                Task closedOrAbandoned = Task.WhenAny(closed.Task, _abandoned.Task);
                await closedOrAbandoned.WaitAsync(_stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                failures++;
            }
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            lost ??= Stopwatch.GetTimestamp();
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connection = null;
            // Not awaited: closing a connection to a frozen instance waits for it.
            _ = connection.DisposeAsync().AsTask();
            // The next instance, as a load balancer would pick another for a new connection.
            _url = (_url + 1) % _urls().Count;
            await Task.Delay(ReconnectDelaysMs[Math.Min(failures, ReconnectDelaysMs.Length - 1)], _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private HubConnection Build(string url)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl($"{url}/hub", options => options.AccessTokenProvider = () => LoginAsync(url));
        if (_messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        var connection = builder.Build();
        connection.On<ChaosMessage>("NewMessage", message => message.Room == _room ? ReceiveAsync(connection, message) : Task.CompletedTask);
        connection.On<string>("Resync", _ => CatchUpAsync(connection));
        return connection;
    }

    private async Task<string?> LoginAsync(string url)
    {
        using var http = new HttpClient { Timeout = CallTimeout };
        var response = await http.PostAsJsonAsync($"{url}/auth/token", new { user = User });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
    }

    private async Task ReceiveAsync(HubConnection connection, ChaosMessage message)
    {
        if (message.Seq == Interlocked.Read(ref _lastSeq) + 1)
        {
            _seen[message.Seq] = message.Text;
            Interlocked.Exchange(ref _lastSeq, message.Seq);
        }
        else if (message.Seq > Interlocked.Read(ref _lastSeq))
        {
            await CatchUpAsync(connection);
        }
    }

    private async Task CatchUpAsync(HubConnection connection)
    {
        await _catchUp.WaitAsync();
        try
        {
            while (true)
            {
                using var timeout = new CancellationTokenSource(CallTimeout);
                var page = await connection.InvokeAsync<ChaosPage>("Call", _room, "GetMessages",
                    new Dictionary<string, object> { ["afterSeq"] = Interlocked.Read(ref _lastSeq), ["limit"] = 200 }, timeout.Token);
                if (page is { Truncated: true, FirstSeq: { } first } && first - 1 > _lastSeq)
                {
                    GapsTold += first - 1 - _lastSeq;
                    Interlocked.Exchange(ref _lastSeq, first - 1);
                }
                foreach (var message in page.Messages.Where(m => m.Seq > Interlocked.Read(ref _lastSeq)))
                {
                    _seen[message.Seq] = message.Text;
                    Interlocked.Exchange(ref _lastSeq, message.Seq);
                }
                if (page.Messages.Length < 200)
                {
                    return;
                }
            }
        }
        catch (Exception) when (!_stop.IsCancellationRequested)
        {
            // The connection is going: the next connect catches up.
        }
        finally
        {
            _catchUp.Release();
        }
    }
}

/// <summary>How a send ended: its seq when stored (acknowledged), or the last error.</summary>
internal sealed record SendOutcome(long? Seq, int Retries, TimeSpan Took, string? Error);

/// <summary>One call attempt: through which instance, how long it waited, and whether it got an answer.</summary>
internal sealed record CallTiming(string Url, TimeSpan Took, bool Completed);
