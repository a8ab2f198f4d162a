using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SignalRChat.Client.Console;

/// <summary>
/// One logged-in connection and the room it is in. Prints messages once each, in order; a gap in <c>seq</c>, a join or
/// a reconnect makes it fetch what it missed with <c>GetMessages</c>, so nothing sent meanwhile goes unseen.
/// </summary>
internal sealed class ChatSession(HubConnection connection, Output output, string user, ClusterServers servers) : IAsyncDisposable
{
    private const int PageSize = 200;
    private const int RecentOnJoin = 10;

    /// <summary>A call that gets no answer in this long fails (the server answers within its <c>Objects:CallTimeout</c>).</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A send is tried this many times, with one clientMessageId, while it fails temporarily.</summary>
    private const int SendAttempts = 4;

    /// <summary>How long a retry waits for the connection to come back.</summary>
    private static readonly TimeSpan ReconnectWait = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _printing = new(1, 1); // pushes, call results and catch-up pages print one at a time
    private long _lastSeq;

    public string? Room { get; private set; }

    public static async Task<ChatSession> ConnectAsync(ClientOptions options, Output output)
    {
        await LoginAsync(options.Server, options.User); // a clear error for a bad name or server before connecting
        var servers = new ClusterServers(options.Server);
        var builder = new HubConnectionBuilder()
            // A fresh token for every connect, from the instance being connected to, so a reconnect after hours never
            // fails on an expired one.
            .WithUrl(new Uri(options.Server, "/hub"), http => http.AccessTokenProvider = async () => await LoginAsync(servers.Current, options.User))
            .WithAutomaticReconnect(new RetryForever());
        // When its instance is gone, a reconnect goes to another one of the cluster: the factory takes the URL of each
        // try from the endpoint, not the options.
        builder.Services.PostConfigure<HttpConnectionOptions>(http => http.Url = null);
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(new Uri(options.Server, "/hub")));
        builder.Services.AddSingleton<HttpConnectionFactory>();
        builder.Services.AddSingleton<IConnectionFactory>(provider =>
            new FailoverConnectionFactory(provider.GetRequiredService<HttpConnectionFactory>(), servers));
        if (options.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        var session = new ChatSession(builder.Build(), output, options.User, servers);
        session.Wire();
        await session.Connection.StartAsync();
        await servers.RefreshAsync();
        return session;
    }

    public HubConnection Connection => connection;

    public async Task JoinAsync(string name)
    {
        var room = $"ChatRoom-{name}";
        if (Room is { } previous && previous != room)
        {
            await LeaveAsync();
        }
        var info = await CallAsync<RoomInfo>(room, "Join");
        Room = room;
        Interlocked.Exchange(ref _lastSeq, Math.Max(0, info.LastSeq - RecentOnJoin));
        output.Line($"* joined {room}{(info.Title is { } title ? $" ({title})" : "")}; members: {string.Join(", ", info.Members)}");
        await CatchUpAsync();
    }

    public async Task LeaveAsync()
    {
        await CallAsync<object>(RequireRoom(), "Leave");
        output.Line($"* left {Room}");
        Room = null;
    }

    public async Task SendAsync(string text) =>
        await ReceiveAsync(await SendOnceAsync<ChatMessage>(RequireRoom(), "SendMessage", new Dictionary<string, object> { ["text"] = text }));

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

    /// <summary>Moderates the current room: <c>kick</c>, <c>ban</c> (minutes optional), <c>mute</c> (minutes required),
    /// <c>unban</c> or <c>unmute</c> a user, with an optional reason.</summary>
    public async Task ModerateAsync(string action, string target, int? minutes, string? reason)
    {
        var method = action switch
        {
            "kick" => "Kick",
            "ban" => "Ban",
            "mute" => "Mute",
            "unban" => "Unban",
            "unmute" => "Unmute",
            _ => throw new ArgumentException($"Unknown moderation '{action}': kick, ban, mute, unban or unmute."),
        };
        var args = new Dictionary<string, object?> { ["user"] = target };
        if (method is "Kick" or "Ban" or "Mute")
        {
            args["minutes"] = minutes;
            args["reason"] = reason;
        }
        await CallAsync<object?>(RequireRoom(), method, args);
        output.Line($"* {action}: {target}");
    }

    /// <summary>Sets your status (online, away, busy, in-game, in-menu or invisible) and, when given, your status text.</summary>
    public async Task SetStatusAsync(string status, string? text)
    {
        var args = new Dictionary<string, object?> { ["status"] = status };
        if (text is not null)
        {
            args["text"] = text;
        }
        output.Presence(await CallAsync<Presence>(MyPlayer, "SetStatus", args), user);
    }

    /// <summary>Follows users: prints their presence now, and every change of it from now on.</summary>
    public async Task FollowAsync(IReadOnlyList<string> users)
    {
        foreach (var presence in await CallAsync<Presence[]>(MyPlayer, "Follow", new Dictionary<string, object> { ["users"] = users }))
        {
            output.Presence(presence, user);
        }
    }

    /// <summary>Runs <c>/guild create|invite|accept|leave|say</c>.</summary>
    public async Task GuildAsync(string verb, string id, string? rest)
    {
        var guild = $"Guild-{id}";
        switch (verb)
        {
            case "create":
                await connection.InvokeAsync<object>("Create", "Guild", guild, new Dictionary<string, object?> { ["name"] = rest ?? id });
                output.Line($"* created {guild}; invite with /guild invite {id} USER");
                break;
            case "invite" when rest is not null:
                await CallAsync<object>(guild, "Invite", new Dictionary<string, object> { ["user"] = rest });
                output.Line($"* invited {rest} to {guild}");
                break;
            case "accept":
                await CallAsync<object>(guild, "AcceptInvite");
                output.Line($"* joined {guild}");
                break;
            case "leave":
                await CallAsync<object>(guild, "Leave");
                output.Line($"* left {guild}");
                break;
            case "say" when rest is not null:
                await SayAsync(guild, rest);
                break;
            default:
                throw new InvalidOperationException("/guild create ID [NAME] | invite ID USER | accept ID | leave ID | say ID TEXT");
        }
    }

    /// <summary>Runs <c>/party create|invite|accept|leave|say</c>; every change prints as it comes (<c>PartyChanged</c>).</summary>
    public async Task PartyAsync(string verb, string id, string? rest)
    {
        var party = $"Party-{id}";
        switch (verb)
        {
            case "create":
                output.Party(await connection.InvokeAsync<PartyInfo>("Create", "Party", party, null));
                break;
            case "invite" when rest is not null:
                await CallAsync<object>(party, "Invite", new Dictionary<string, object> { ["user"] = rest });
                output.Line($"* invited {rest} to {party}");
                break;
            case "accept":
                await CallAsync<PartyInfo>(party, "Accept");
                break;
            case "leave":
                await CallAsync<object>(party, "Leave");
                break;
            case "say" when rest is not null:
                await SayAsync(party, rest);
                break;
            default:
                throw new InvalidOperationException("/party create ID | invite ID USER | accept ID | leave ID | say ID TEXT");
        }
    }

    /// <summary>Sends to a guild or party channel; its messages print as <c>[Guild-ID] user: text</c>.</summary>
    private async Task SayAsync(string channel, string text)
    {
        var sent = await SendOnceAsync<ChatMessage>(channel, "SendMessage", new Dictionary<string, object> { ["text"] = text });
        output.Message(sent with { User = $"[{channel}] {sent.User}" });
    }

    /// <summary>Sends a direct message; the recipient's client acknowledges it, and <c>Delivered</c> prints here.</summary>
    public async Task SendDirectAsync(string to, string text) =>
        output.Direct(await SendOnceAsync<DirectMessage>(MyPlayer, "SendDirect", new Dictionary<string, object> { ["to"] = to, ["text"] = text }), user);

    public async Task UnfollowAsync(IReadOnlyList<string> users)
    {
        await CallAsync<Presence[]>(MyPlayer, "Unfollow", new Dictionary<string, object> { ["users"] = users });
        output.Line($"* no longer following {string.Join(", ", users)}");
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private string MyPlayer => $"Player-{user}";

    private void Wire()
    {
        connection.On<Registration>("Registered", r => output.Line($"* connected to {r.InstanceId} as {r.User}"));
        // The server may have missed pushes for this connection: fetch what the room has, as after a reconnect.
        connection.On<string>("Resync", async _ =>
        {
            try
            {
                await CatchUpAsync();
            }
            catch (Exception e)
            {
                output.Error($"could not catch up: {Errors.Reason(e)}");
            }
        });
        connection.On<ChatMessage>("NewMessage", message =>
        {
            if (message.Room == Room)
            {
                return ReceiveAsync(message);
            }
            if ((message.Room.StartsWith("Guild-", StringComparison.Ordinal) || message.Room.StartsWith("Party-", StringComparison.Ordinal)) && message.User != user)
            {
                output.Message(message with { User = $"[{message.Room}] {message.User}" });
            }
            return Task.CompletedTask;
        });
        connection.On<GuildInvite>("GuildInvite", invite =>
            output.Line($"* {invite.From} invited you to the guild {invite.Name} ({invite.Guild}): /guild accept {invite.Guild["Guild-".Length..]}"));
        connection.On<PartyInvite>("PartyInvite", invite =>
            output.Line($"* {invite.From} invited you to {invite.Party} (leader {invite.Leader}): /party accept {invite.Party["Party-".Length..]}"));
        connection.On<PartyInfo>("PartyChanged", output.Party);
        connection.On<MemberChange>("MemberJoined", change => { if (change.Room == Room) output.Line($"* {change.User} joined"); });
        connection.On<Presence>("PresenceChanged", presence => output.Presence(presence, user));
        connection.On<MemberChange>("MemberLeft", change => { if (change.Room == Room) output.Line($"* {change.User} left"); });
        connection.On<KickNotice>("Kicked", kick =>
        {
            if (kick.Room == Room)
            {
                Room = null;
            }
            var ban = kick.BannedUntil is { } until
                ? until == long.MaxValue ? " You are banned until lifted." : $" You are banned until {DateTimeOffset.FromUnixTimeMilliseconds(until).LocalDateTime:g}."
                : "";
            output.Line($"* {kick.By} removed you from {kick.Room}{(kick.Reason is null ? "." : $": {kick.Reason}")}{ban}");
        });
        connection.On<MuteNotice>("Muted", mute => output.Line(mute.Until is { } until
            ? $"* {mute.By} muted you in {mute.Room} until {DateTimeOffset.FromUnixTimeMilliseconds(until).LocalDateTime:t}{(mute.Reason is null ? "." : $": {mute.Reason}")}"
            : $"* {mute.By} unmuted you in {mute.Room}."));
        connection.On<DirectMessage>("DirectMessage", ReceiveDirectAsync);
        connection.On<DeliveryReceipt>("Delivered", receipt => output.Line($"* delivered to {receipt.To}: {receipt.Id}"));
        connection.On<Notice>("Announcement", announcement => output.Line($"** announcement: {announcement.Text}"));
        connection.On<Notice>("SystemMessage", ReceiveSystemMessageAsync);
        connection.Reconnecting += _ => { output.Line("* connection lost, reconnecting..."); return Task.CompletedTask; };
        connection.Reconnected += async _ =>
        {
            output.Line($"* reconnected to {servers.Current.GetLeftPart(UriPartial.Authority)}");
            await servers.RefreshAsync();
            if (Room is not { } room)
            {
                return;
            }
            try
            {
                // The new connection has a new client ID: join again, then fetch what was sent while we were away.
                await CallAsync<RoomInfo>(room, "Join");
                await CatchUpAsync();
            }
            catch (Exception e)
            {
                output.Error($"could not rejoin {room}: {Errors.Reason(e)}");
            }
        };
        connection.Closed += e => { output.Line($"* disconnected{(e is null ? "" : $": {e.Message}")}"); return Task.CompletedTask; };
    }

    /// <summary>Prints a system message and acknowledges it, so it does not come again on the next connection.</summary>
    private async Task ReceiveSystemMessageAsync(Notice message)
    {
        output.Line($"** system: {message.Text}");
        try
        {
            await CallAsync<AckResult>(MyPlayer, "Ack", new Dictionary<string, object> { ["ids"] = new[] { message.Id } });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.Error($"could not acknowledge {message.Id}: {Errors.Reason(e)}");
        }
    }

    /// <summary>Prints a direct message, and acknowledges it when it is to us: the sender then hears it was delivered.</summary>
    private async Task ReceiveDirectAsync(DirectMessage message)
    {
        output.Direct(message, user);
        if (message.To == user)
        {
            try
            {
                await CallAsync<AckResult>(MyPlayer, "Ack", new Dictionary<string, object> { ["ids"] = new[] { message.Id } });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.Error($"could not acknowledge {message.Id}: {Errors.Reason(e)}");
            }
        }
    }

    /// <summary>Prints the next message in order; anything later than that means some were missed, so fetch them.</summary>
    private async Task ReceiveAsync(ChatMessage message)
    {
        await _printing.WaitAsync();
        try
        {
            if (message.Seq == _lastSeq + 1)
            {
                _lastSeq = message.Seq;
                output.Message(message);
                return;
            }
        }
        finally
        {
            _printing.Release();
        }
        if (message.Seq > Interlocked.Read(ref _lastSeq))
        {
            await CatchUpAsync();
        }
    }

    /// <summary>Prints the room's messages after the last one printed, page by page.</summary>
    private async Task CatchUpAsync()
    {
        await _printing.WaitAsync();
        try
        {
            while (Room is { } room)
            {
                var page = await CallAsync<MessagesPage>(room, "GetMessages", new Dictionary<string, object> { ["afterSeq"] = _lastSeq, ["limit"] = PageSize });
                if (page is { Truncated: true, FirstSeq: { } firstSeq } && firstSeq - 1 > _lastSeq)
                {
                    // Retention dropped them: say so, rather than skip them without a word.
                    output.Line($"* {firstSeq - 1 - _lastSeq} older messages are no longer available");
                    _lastSeq = firstSeq - 1;
                }
                foreach (var message in page.Messages.Where(m => m.Seq > _lastSeq))
                {
                    _lastSeq = message.Seq;
                    output.Message(message);
                }
                if (page.Messages.Length < PageSize)
                {
                    return;
                }
            }
        }
        finally
        {
            _printing.Release();
        }
    }

    private string RequireRoom() => Room ?? throw new InvalidOperationException("join a room first: /join ROOM");

    private async Task<T> CallAsync<T>(string objectId, string method, object? args = null)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            return await connection.InvokeAsync<T>("Call", objectId, method, args, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} on {objectId} got no answer in {CallTimeout.TotalSeconds:0} s; whether it took effect is unknown.");
        }
    }

    /// <summary>Sends with a new clientMessageId, retrying with the same one while the failure is temporary (the
    /// server said so, or no answer came), so the message is stored once.</summary>
    private async Task<T> SendOnceAsync<T>(string objectId, string method, Dictionary<string, object> args)
    {
        args["clientMessageId"] = Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CallAsync<T>(objectId, method, args);
            }
            catch (Exception e) when (attempt < SendAttempts && Errors.IsTemporary(e))
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
                await WaitForConnectionAsync();
            }
        }
    }

    /// <summary>Returns once the connection is up, or after <see cref="ReconnectWait"/> (the next try then fails).</summary>
    private async Task WaitForConnectionAsync()
    {
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task OnReconnected(string? _)
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        }
        connection.Reconnected += OnReconnected;
        try
        {
            if (connection.State != HubConnectionState.Connected)
            {
                await Task.WhenAny(reconnected.Task, Task.Delay(ReconnectWait));
            }
        }
        finally
        {
            connection.Reconnected -= OnReconnected;
        }
    }

    private static async Task<string?> LoginAsync(Uri server, string user)
    {
        using var http = new HttpClient { BaseAddress = server };
        var response = await http.PostAsJsonAsync("/auth/token", new { user });
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<LoginResponse>())!.Token;
        }
        var reason = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? (await response.Content.ReadFromJsonAsync<LoginResponse>())?.Error
            : null;
        throw new LoginException(reason ?? (response.StatusCode == System.Net.HttpStatusCode.NotFound
            ? "this server has no development login (POST /auth/token answered 404)"
            : $"login failed (HTTP {(int)response.StatusCode})"));
    }

    private sealed record LoginResponse(string? Token, string? Error);

    /// <summary>Retries at once, then after 1, 2 … 10 seconds, then every 10 seconds until the server is back.</summary>
    private sealed class RetryForever : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            TimeSpan.FromSeconds(Math.Min(10, context.PreviousRetryCount));
    }
}
