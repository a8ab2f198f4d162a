using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SignalRChat.Client.Console;

/// <summary>
/// One logged-in connection and the room it is in. Prints pushes as they come; after a reconnect it joins the room
/// again and fetches what it missed, so nothing sent meanwhile goes unseen.
/// </summary>
internal sealed class ChatSession(HubConnection connection, Output output) : IAsyncDisposable
{
    private const int PageSize = 200;
    private readonly Lock _gate = new();
    private long _lastSeq;

    public string? Room { get; private set; }

    public static async Task<ChatSession> ConnectAsync(ClientOptions options, Output output)
    {
        var token = await LoginAsync(options);
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(options.Server, "/hub"), http => http.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect(new RetryForever());
        if (options.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        var session = new ChatSession(builder.Build(), output);
        session.Wire();
        await session.Connection.StartAsync();
        return session;
    }

    public HubConnection Connection => connection;

    public async Task JoinAsync(string name)
    {
        if (Room is { } previous)
        {
            await CallAsync<object>(previous, "Leave");
        }
        var room = $"ChatRoom-{name}";
        var info = await CallAsync<RoomInfo>(room, "Join");
        Room = room;
        _lastSeq = Math.Max(0, info.LastSeq - 10);
        output.Line($"* joined {room} ({string.Join(", ", info.Members)})");
        await CatchUpAsync();
    }

    public async Task LeaveAsync()
    {
        await CallAsync<object>(RequireRoom(), "Leave");
        output.Line($"* left {Room}");
        Room = null;
    }

    public async Task SendAsync(string text)
    {
        var sent = await CallAsync<ChatMessage>(RequireRoom(), "SendMessage", new Dictionary<string, object> { ["text"] = text });
        Seen(sent.Seq);
    }

    public async Task HistoryAsync()
    {
        var page = await CallAsync<MessagesPage>(RequireRoom(), "GetMessages", new Dictionary<string, object> { ["afterSeq"] = 0, ["limit"] = PageSize });
        foreach (var message in page.Messages)
        {
            output.Message(message);
        }
    }

    public async Task WhoAsync() =>
        output.Line($"* members: {string.Join(", ", await CallAsync<string[]>(RequireRoom(), "ListMembers"))}");

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private void Wire()
    {
        connection.On<Registration>("Registered", r => output.Line($"* connected to {r.InstanceId} as {r.User}"));
        connection.On<ChatMessage>("NewMessage", async message =>
        {
            if (message.Room != Room)
            {
                return;
            }
            if (message.Seq > Interlocked.Read(ref _lastSeq) + 1)
            {
                await CatchUpAsync(); // a gap: fetch what was missed, this message included, in order
            }
            else if (Seen(message.Seq))
            {
                output.Message(message);
            }
        });
        connection.Reconnecting += _ => { output.Line("* connection lost, reconnecting..."); return Task.CompletedTask; };
        connection.Reconnected += async _ =>
        {
            output.Line("* reconnected");
            if (Room is { } room)
            {
                await CallAsync<RoomInfo>(room, "Join");
                await CatchUpAsync();
            }
        };
        connection.Closed += e => { output.Line($"* disconnected{(e is null ? "" : $": {e.Message}")}"); return Task.CompletedTask; };
    }

    /// <summary>Prints the room's messages after the last one seen: the polling fallback after a join or reconnect.</summary>
    private async Task CatchUpAsync()
    {
        while (Room is { } room)
        {
            var page = await CallAsync<MessagesPage>(room, "GetMessages", new Dictionary<string, object> { ["afterSeq"] = _lastSeq, ["limit"] = PageSize });
            foreach (var message in page.Messages.Where(m => Seen(m.Seq)))
            {
                output.Message(message);
            }
            if (page.Messages.Length < PageSize)
            {
                return;
            }
        }
    }

    /// <returns>True when the message is newer than anything printed, so each prints once.</returns>
    private bool Seen(long seq)
    {
        lock (_gate)
        {
            if (seq <= _lastSeq)
            {
                return false;
            }
            _lastSeq = seq;
            return true;
        }
    }

    private string RequireRoom() => Room ?? throw new InvalidOperationException("Join a room first: /join ROOM");

    private Task<T> CallAsync<T>(string objectId, string method, object? args = null) =>
        connection.InvokeAsync<T>("Call", objectId, method, args);

    private static async Task<string> LoginAsync(ClientOptions options)
    {
        using var http = new HttpClient { BaseAddress = options.Server };
        var response = await http.PostAsJsonAsync("/auth/token", new { user = options.User });
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"Login failed ({(int)response.StatusCode}): {body}");
        }
        return (await response.Content.ReadFromJsonAsync<LoginResponse>())!.Token;
    }

    private sealed record LoginResponse(string Token);

    private sealed class RetryForever : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            TimeSpan.FromSeconds(Math.Min(10, context.PreviousRetryCount));
    }
}
