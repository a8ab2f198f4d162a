using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SignalRChat.Load.Scenarios;

namespace SignalRChat.Load.Crowd;

// A step: the players' actions at the step's rate, the operator's system messages, and the wait for what is owed.
internal sealed partial class GameShard
{
    /// <summary>The players act at the step's rate (this shard's share) for its length, and the operator sends system
    /// messages to them; returns once every call has completed.</summary>
    private async Task<GameShardSent> StepAsync(GameStep step)
    {
        var share = (double)_config.Count / _config.TotalPlayers;
        var rate = step.Rate * share;
        var actions = (int)Math.Round(rate * step.Seconds);
        var systemRate = _config.SystemRate * share;
        var systemMessages = (int)Math.Round(systemRate * step.Seconds);
        // Every action is at most 3 events (a zone change), a direct message adds a receipt.
        _recorder.Begin(step.Phase, 4 * actions + systemMessages + 16);
        Array.Clear(_changedZone);
        _errors.Clear();
        _failedMoves = 0;

        var calls = new List<Task>(actions + systemMessages);
        var skipped = 0;
        var started = Stopwatch.GetTimestamp();
        var system = SendSystemMessagesAsync(step.Phase, systemMessages, systemRate, started);
        for (var n = 0; n < actions; n++)
        {
            await Waiting.UntilDueAsync(started, n, rate, CancellationToken.None);
            if (Act(step.Phase, _mix.Pick(_random.Next(_mix.Total))) is { } call)
            {
                calls.Add(call);
            }
            else
            {
                skipped++;
            }
        }
        var sendEnd = Stopwatch.GetTimestamp();
        calls.AddRange(await system);
        await Task.WhenAll(calls);
        _recorder.Finish();
        return new GameShardSent(actions - skipped, systemMessages, skipped, started, sendEnd);
    }

    /// <summary>Waits until every delivery owed has arrived, or nothing has for <see cref="Quiet"/>; then reports the step.</summary>
    private async Task<GameShardSummary> ExpectAsync(GameExpect expect)
    {
        var last = -1L;
        var quiet = Stopwatch.StartNew();
        var waited = Stopwatch.StartNew();
        while (_recorder.Outstanding(expect) > 0 && waited.Elapsed < LongestWait)
        {
            var received = _recorder.Deliveries;
            if (received != last)
            {
                last = received;
                quiet.Restart();
            }
            else if (quiet.Elapsed > Quiet)
            {
                break;
            }
            await Task.Delay(50);
        }
        var summary = _recorder.Summarize(expect);
        return summary with
        {
            FailedMoves = _failedMoves,
            FailedAcks = _recorder.FailedAcks,
            Errors = [.. _errors.OrderByDescending(e => e.Value).Take(5).Select(e => $"{e.Value} x {e.Key}")],
        };
    }

    /// <summary>Starts one action of a random player; null when no player was free for it (a presence change of a
    /// player waits for the one before, and a player changes zone at most once per step).</summary>
    private Task? Act(int phase, GameAction action)
    {
        var player = _random.Next(_layout.Count);
        switch (action)
        {
            case GameAction.Guild:
                var guild = _layout.GuildOf[player];
                return SendAsync(phase, GameKind.Guild, player, _layout.GuildId(guild), _layout.Guilds[guild].Length);
            case GameAction.Party:
                var party = _layout.PartyOf[player];
                return SendAsync(phase, GameKind.Party, player, _layout.PartyId(party), _layout.Parties[party].Length);
            case GameAction.World:
                var world = _layout.WorldOf[player];
                return SendAsync(phase, GameKind.World, player, _layout.WorldId(world), _layout.Worlds[world].Length - 1);
            case GameAction.Direct:
                return DirectAsync(phase, player, _layout.Friend(player, 1 + _random.Next(_layout.Follows)));
        }
        for (var attempt = 0; attempt < 8; attempt++, player = _random.Next(_layout.Count))
        {
            var free = _recorder.ZoneOf[player] >= 0 && (action != GameAction.Zone || (!_changedZone[player] && _layout.ZoneCount > 1));
            if (free && Interlocked.CompareExchange(ref _busy[player], 1, 0) == 0)
            {
                return action switch
                {
                    GameAction.Status => StatusAsync(phase, player),
                    GameAction.Move => MoveAsync(player),
                    _ => ZoneChangeAsync(phase, player),
                };
            }
        }
        return null;
    }

    private async Task SendAsync(int phase, GameKind kind, int player, string channel, int expected)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var index = _recorder.Add(kind, expected, sentAt);
        if (!await CallAsync(player, channel, "SendMessage", new { text = GamePushes.Text(phase, index, sentAt, TextSize) }))
        {
            _recorder.Fail(index);
        }
    }

    /// <summary>A direct message to a friend; the call completes once the message is stored (the sender's ack).</summary>
    private async Task DirectAsync(int phase, int player, int friend)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var index = _recorder.Add(GameKind.Direct, 1, sentAt);
        var text = GamePushes.Text(phase, index, sentAt, TextSize);
        if (!await CallAsync(player, _layout.PlayerId(player), "SendDirect", new { to = _layout.User(friend), text }))
        {
            _recorder.Fail(index);
        }
    }

    private async Task StatusAsync(int phase, int player)
    {
        try
        {
            var sentAt = Stopwatch.GetTimestamp();
            var index = _recorder.AddStatus(player, sentAt);
            var status = Statuses[_statusToggle[player]++ % Statuses.Length];
            if (!await CallAsync(player, _layout.PlayerId(player), "SetStatus", new { status, text = GamePushes.Mark(phase, index, sentAt) }))
            {
                _recorder.Fail(index);
            }
        }
        finally
        {
            Volatile.Write(ref _busy[player], 0);
        }
    }

    private async Task MoveAsync(int player)
    {
        try
        {
            _x[player] = Math.Clamp(_x[player] + (_random.NextDouble() - 0.5) * 20, -ZoneSide / 2, ZoneSide / 2);
            _y[player] = Math.Clamp(_y[player] + (_random.NextDouble() - 0.5) * 20, -ZoneSide / 2, ZoneSide / 2);
            if (!await CallAsync(player, _layout.ZoneId(_recorder.ZoneOf[player]), "Move", new { x = _x[player], y = _y[player] }))
            {
                Interlocked.Increment(ref _failedMoves);
            }
        }
        finally
        {
            Volatile.Write(ref _busy[player], 0);
        }
    }

    /// <summary>Enters another zone: the followers hear of it in <c>PresenceChanged</c>, both zones' members in <c>ZonePresence</c>.</summary>
    private async Task ZoneChangeAsync(int phase, int player)
    {
        try
        {
            var from = _recorder.ZoneOf[player];
            var to = (from + 1 + _random.Next(_layout.ZoneCount - 1)) % _layout.ZoneCount;
            _changedZone[player] = true;
            var index = _recorder.AddZoneChange(player, from, to, Stopwatch.GetTimestamp());
            (_x[player], _y[player]) = (Position(_random), Position(_random));
            if (await CallAsync(player, _layout.ZoneId(to), "Enter", new { x = _x[player], y = _y[player] }))
            {
                (_recorder.ZoneOf[player], _recorder.ZoneSince[player]) = (to, Stopwatch.GetTimestamp());
            }
            else
            {
                // In one zone or the other: it takes no further part in zones.
                _recorder.ZoneOf[player] = -1;
                _recorder.Fail(index, 3);
            }
        }
        finally
        {
            Volatile.Write(ref _busy[player], 0);
        }
    }

    /// <summary>The operator's system messages to random players of this shard, at the step's rate; returns the requests.</summary>
    private async Task<List<Task>> SendSystemMessagesAsync(int phase, int count, double rate, long started)
    {
        var requests = new List<Task>(count);
        for (var n = 0; n < count; n++)
        {
            await Waiting.UntilDueAsync(started, n, rate, CancellationToken.None);
            requests.Add(SystemMessageAsync(phase, _operatorRandom.Next(_layout.Count), n));
        }
        return requests;
    }

    private async Task SystemMessageAsync(int phase, int player, int n)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var index = _recorder.Add(GameKind.SystemMessage, 1, sentAt);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{_config.Hubs[n % _config.Hubs.Count]}/admin/players/{_layout.User(player)}/messages")
            {
                Content = JsonContent.Create(new { code = "bench.notice", text = GamePushes.Mark(phase, index, sentAt), data = (object?)null }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _config.OperatorToken);
            using var response = await _http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            Error($"POST /admin/players/…/messages: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Error($"POST /admin/players/…/messages: {e.Message}");
        }
        _recorder.Fail(index);
    }
}
