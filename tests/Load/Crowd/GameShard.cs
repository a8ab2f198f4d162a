using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SignalRChat.Load.Cluster;

namespace SignalRChat.Load.Crowd;

/// <summary>
/// One share of the game scenario's players in a process of its own (a process here may hold at most 20,000 open
/// files, and the full preset has 20,000 players): it logs them in, connects them (half over JSON, half over
/// MessagePack), puts them in their guilds, parties, world channels and zones and makes them follow their friends; then,
/// step by step as the tool says, makes them act at the step's rate (its share of it) and sends the operator's system
/// messages to them, and reports what they received (<see cref="GameRecorder"/>). A shard's players only deal with each
/// other (a shard is a region of the game); the operator's announcements reach every shard. It talks to the tool in
/// lines on standard input and output (<see cref="GameShardConfig"/>).
/// </summary>
internal sealed partial class GameShard : IAsyncDisposable
{
    public const string Command = "game-shard";

    /// <summary>Characters in a chat message's text, as in the room scenario.</summary>
    public const int TextSize = 60;

    /// <summary>How long nothing may arrive before what is still owed counts as lost.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    /// <summary>The longest the wait for what is owed may last, however slowly it trickles in.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    /// <summary>The longest a call may take before it counts as failed (the server answers within its call timeout, 5 s).</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Statuses = ["in-game", "in-menu"];

    /// <summary>Players stand in a square of this side, centred on 0, in every zone.</summary>
    private const double ZoneSide = 1000;

    private readonly GameShardConfig _config;
    private readonly GameLayout _layout;
    private readonly GameRecorder _recorder;
    private readonly GameMix _mix;
    private readonly Random _random;
    private readonly Random _operatorRandom;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<Crowd> _crowds = [];
    private readonly MinimalHubClient[] _clients;
    private readonly int[] _busy;
    private readonly bool[] _changedZone;
    private readonly int[] _statusToggle;
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private int _failedMoves;

    private GameShard(GameShardConfig config)
    {
        _config = config;
        _layout = new GameLayout(config);
        _recorder = new GameRecorder(_layout, MessagePack);
        _mix = GameMix.Parse(config.Mix);
        _random = new Random(config.Seed);
        _operatorRandom = new Random(config.Seed + 1);
        _clients = new MinimalHubClient[config.Count];
        _busy = new int[config.Count];
        _changedZone = new bool[config.Count];
        _statusToggle = new int[config.Count];
        _x = new double[config.Count];
        _y = new double[config.Count];
    }

    /// <summary>The shard process: reads its config line, sets up, then answers <c>step</c> and <c>expect</c> until its input ends.</summary>
    public static async Task<int> RunAsync()
    {
        var config = JsonSerializer.Deserialize<GameShardConfig>(await Console.In.ReadLineAsync() ?? "", GameShardJson.Options)
            ?? throw new InvalidOperationException("A game shard needs its config on the first line of its input.");
        OpenFilesLimit.Raise((ulong)config.Count + 1_000);
        await using var shard = new GameShard(config);
        await shard.SetUpAsync(new SetupProgress());
        Console.WriteLine("ready");
        NoCollections? measuring = null;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("step ", StringComparison.Ordinal))
            {
                // From the step's first action to its summary, this process's collections would be counted as the hub's latency.
                measuring ??= NoCollections.Start();
                Console.WriteLine(GameShardJson.Line("sent", await shard.StepAsync(GameShardJson.Read<GameStep>(line))));
            }
            else if (line.StartsWith("expect ", StringComparison.Ordinal))
            {
                Console.WriteLine(GameShardJson.Line("summary", await shard.ExpectAsync(GameShardJson.Read<GameExpect>(line))));
                measuring?.Dispose();
                measuring = null;
            }
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var crowd in _crowds)
        {
            await crowd.DisposeAsync();
        }
        _http.Dispose();
    }

    /// <summary>Whether player i speaks MessagePack: every other player when the run mixes the protocols.</summary>
    private bool MessagePack(int player) => _config.Protocols switch
    {
        "messagepack" => true,
        "json" => false,
        _ => player % 2 == 1,
    };

    private async Task SetUpAsync(SetupProgress progress)
    {
        var count = _config.Count;
        var tokens = new string[count];
        var done = 0;
        await ForEachAsync(count, 32, async p =>
        {
            var response = await _http.PostAsJsonAsync($"{_config.Hubs[p % _config.Hubs.Count]}/auth/token", new { user = _layout.User(p) });
            response.EnsureSuccessStatusCode();
            tokens[p] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            progress.Report("logging in", Interlocked.Increment(ref done), count, 0, 0.15);
        });

        // One crowd per protocol; client j of a crowd is the j-th player speaking it.
        done = 0;
        var offset = 0;
        foreach (var messagePack in new[] { false, true })
        {
            var players = Enumerable.Range(0, count).Where(p => MessagePack(p) == messagePack).ToArray();
            if (players.Length == 0)
            {
                continue;
            }
            var crowd = await Crowd.ConnectAsync(_config.Hubs, players.Length, j => tokens[players[j]], messagePack, j => _recorder.SinkFor(players[j]),
                _ => progress.Report("connecting", Interlocked.Increment(ref done), count, 0.15, 0.35),
                first: _config.First + offset, path: "/hub");
            _crowds.Add(crowd);
            for (var j = 0; j < players.Length; j++)
            {
                _clients[players[j]] = crowd.Clients[j];
                _recorder.Attach(players[j], crowd.Clients[j]);
            }
            offset += players.Length;
        }

        done = 0;
        await ForEachAsync(count, 64, async p =>
        {
            var friends = Enumerable.Range(1, _layout.Follows).Select(step => _layout.User(_layout.Friend(p, step))).ToArray();
            foreach (var chunk in friends.Chunk(500))
            {
                await _clients[p].CallObjectAsync(_layout.PlayerId(p), "Follow", new { users = chunk });
            }
            progress.Report("following friends", Interlocked.Increment(ref done), count, 0.35, 0.45);
        });

        done = 0;
        await ForEachAsync(count, 64, async p =>
        {
            var zone = _layout.InitialZone[p];
            (_x[p], _y[p]) = (Position(Random.Shared), Position(Random.Shared));
            await _clients[p].CallObjectAsync(_layout.ZoneId(zone), "Enter", new { x = _x[p], y = _y[p] });
            (_recorder.ZoneOf[p], _recorder.ZoneSince[p]) = (zone, Stopwatch.GetTimestamp());
            progress.Report("entering zones", Interlocked.Increment(ref done), count, 0.45, 0.55);
        });

        done = 0;
        await ForEachAsync(count, 64, async p =>
        {
            await _clients[p].CallObjectAsync(_layout.WorldId(_layout.WorldOf[p]), "Join");
            progress.Report("joining world channels", Interlocked.Increment(ref done), count, 0.55, 0.65);
        });

        done = 0;
        await ForEachAsync(_layout.Guilds.Length, 16, async g =>
        {
            var members = _layout.Guilds[g];
            var id = _layout.GuildId(g);
            await CreateAsync(members[0], "Guild", id, new { name = $"Guild {g}" });
            // At most 100 invites may be pending in a guild (Guilds:MaxPendingInvites).
            foreach (var batch in members.Skip(1).Chunk(100))
            {
                await Task.WhenAll(batch.Select(m => _clients[members[0]].CallObjectAsync(id, "Invite", new { user = _layout.User(m) })));
                await Task.WhenAll(batch.Select(m => _clients[m].CallObjectAsync(id, "AcceptInvite")));
            }
            progress.Report("filling guilds", Interlocked.Increment(ref done), _layout.Guilds.Length, 0.65, 0.85);
        });

        done = 0;
        await ForEachAsync(_layout.Parties.Length, 64, async party =>
        {
            var members = _layout.Parties[party];
            var id = _layout.PartyId(party);
            await CreateAsync(members[0], "Party", id, null);
            await Task.WhenAll(members.Skip(1).Select(m => _clients[members[0]].CallObjectAsync(id, "Invite", new { user = _layout.User(m) })));
            await Task.WhenAll(members.Skip(1).Select(m => _clients[m].CallObjectAsync(id, "Accept")));
            progress.Report("forming parties", Interlocked.Increment(ref done), _layout.Parties.Length, 0.85, 1);
        });
    }

    /// <summary>Calls an object method for a player; false when it failed (the server's error, or the connection).</summary>
    private async Task<bool> CallAsync(int player, string objectId, string method, object? args)
    {
        try
        {
            if (await _clients[player].InvokeAsync("Call", [objectId, method, args]).WaitAsync(CallTimeout) is not { } error)
            {
                return true;
            }
            Error($"{objectId.Split('-')[0]}.{method}: {error}");
        }
        catch (Exception e)
        {
            // The connection closed or broke, or no answer came: the call failed, whatever its cause.
            Error($"{objectId.Split('-')[0]}.{method}: {e.GetType().Name}: {e.Message}");
        }
        return false;
    }

    private async Task CreateAsync(int player, string type, string id, object? args)
    {
        if (await _clients[player].InvokeAsync("Create", [type, id, args]) is { } error)
        {
            throw new InvalidOperationException($"Create {id} failed: {error}");
        }
    }

    private void Error(string text) => _errors.AddOrUpdate(text.Length > 200 ? text[..200] : text, 1, (_, n) => n + 1);

    private static double Position(Random random) => (random.NextDouble() - 0.5) * ZoneSide;

    private static Task ForEachAsync(int count, int parallel, Func<int, Task> body) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) => await body(i));

    /// <summary>The setup's progress, as <c>progress</c> lines: when a stage starts or ends, and every 1% of the whole in between.</summary>
    private sealed class SetupProgress
    {
        private readonly Lock _lock = new();
        private string _stage = "";
        private double _fraction = -1;

        /// <param name="from">The share of the whole setup done when the stage starts; <paramref name="to"/> when it ends.</param>
        public void Report(string stage, int done, int total, double from, double to)
        {
            var fraction = from + (to - from) * done / Math.Max(1, total);
            lock (_lock)
            {
                if (stage == _stage && done < total && fraction - _fraction < 0.01)
                {
                    return;
                }
                (_stage, _fraction) = (stage, fraction);
                Console.WriteLine(GameShardJson.Line("progress", new GameProgress(FormattableString.Invariant($"{stage} {done:N0}/{total:N0}"), fraction)));
            }
        }
    }
}
