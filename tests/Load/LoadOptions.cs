using System.Globalization;

namespace SignalRChat.Load;

/// <summary>The command line: a scenario, a preset and options that override it.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/Load -- <scenario> [options]

        scenarios:
          fanout        one sender pushes M messages to a room of S members spread over K instances, in each mode
          connections   opens C WebSocket connections over K instances, then broadcasts to all of them
          presence      P players each followed by F change status at a ladder of rates; then Nearby in a zone of P
          room          N members of one chat room over K instances; S of them send as fast as the room accepts,
                        starting from each history length; messages/s and Redis bytes written per message
          flood         the abuse experiment: M members chat in a room (a message each 500 ms) while one user floods it
                        from A connections with 4,000-character messages; before, during and after, with the rate
                        limits and quotas off and on; the members' call latency and the flood's accepted/refused
          game          the whole mix: P players (JSON and MessagePack) in guilds, parties, world channels and zones,
                        following friends, send guild, party, world and direct messages, change status, move and change
                        zone at a ladder of total rates while an operator sends announcements and system messages;
                        per class (system, chat, presence): deliveries/s, latency, lost; CPU per delivery
          chaos         3 hub processes and Redis; 30 members (the README's client advice), 3 senders every 50 ms;
                        SIGKILL, SIGTERM, SIGSTOP (20 s) of the room's host, a Redis restart, a write pause (10 s);
                        per fault: sent, lost, duplicated, longest wait, recovery (--quick: the suite's smaller run)
          floor         no hub: K plain TCP servers write a 64-byte frame to C loopback connections at once, K readers
                        time it; the machine's floor for a broadcast (C 20,000, K 2, 20 rounds; --quick 2,000, 5)

        options:
          --quick               small preset, from 30 seconds to two minutes per scenario (default: the full preset)
          --instances K         hub instances (default 4; presence, room, flood, game 2; for connections, enough to hold
                                15,000 each: 7 for 100,000)
          --room-size S         fanout: room members (full 1000, quick 200)
          --messages M          fanout: messages the sender pushes (full 2000, quick 200)
          --rate N              fanout: messages per second; 0 = as fast as the sender can (default 0)
          --payload BYTES       fanout: padding per message (default 64)
          --protocol P          json or messagepack, for the receiving crowd (default json; game: half of each)
          --modes LIST          fanout: comma-separated, from per-instance, fan-out-on-read, stock-clients, stock-groups
                                (default these four), per-instance-no-priorities (ours with Push:Priorities=false)
                                and per-instance-small-socket-buffers (Cluster:SocketSendBufferBytes=16384)
          --system-every N      fanout: after every N messages, one push in the system class to the same members, timed
                                apart (default 0: none); shows what a system push waits for behind a flood of chat
          --runs N              runs per mode; the report gives medians (full 3, quick 1); floor: rounds (full 20, quick 5)
          --warmup-seconds N    fanout, presence, room, game: longest warm-up per run; it ends sooner once the JIT has settled
                                (full 90, quick 5; presence quick 30, game quick 15; room runs at least a third of it)
          --players P           presence: players (full 10000, quick 1000); game: players (full 20000, quick 1000), in
                                processes of at most 15,000
          --follows F           presence: users each player follows (full 50, quick 20); game: friends each follows (50)
          --rates LIST          presence: status changes per second, a comma-separated ladder (full 250,500,1000,2000, quick 200,500);
                                game: actions per second of all players together (full 125,250,500,1000,2000, quick 250,500,1000,2000)
          --seconds N           presence, room, flood, game: how long each rate (each history length) runs (full 10, quick 5)
          --priorities on|off   game: the push classes (default on); off queues every push as chat (Push:Priorities=false), to compare
          --mix LIST            game: the actions' weights (default guild=25,party=20,world=5,direct=10,status=10,move=28,zone=2)
          --guild-size N        game: players per guild (default 50); parties have 4 to 8
          --world-size N        game: players per world channel (default 250)
          --zone-size N         game: players per zone (default 250)
          --announce-every S    game: seconds between the operator's announcements (default 2; decimals allowed)
          --system-rate N       game: the operator's system messages per second, to random players (default 5)
          --queries Q           presence: Nearby queries (full 5000, quick 1000), at --query-rate per second (full 500, quick 200)
          --members N           room: members (default 20), on K instances (default 2); flood: the chatting members
          --attackers A         flood: the flooding user's connections (full 100, quick 20)
          --limits L            flood: on, off or both, one after another (default both)
          --senders S           room: members that send (default all 20), each with --in-flight calls queued (default 8;
                                the hub runs one call of a connection at a time, in order)
          --histories LIST      room: history lengths to start from, one fresh room each (default 10,1000)
          --connections C       connections: how many (full 100000, quick 2000); floor: over all K (full 20000, quick 2000)
          --mode M              connections: ours, stock (SignalR's Redis backplane) or both, one after another (default both)
          --idle-seconds N      connections: how long to let them settle, then to measure idle CPU over (full 10, quick 5)
          --out DIR             where results go (default results/ in the repository)
          --no-charts           skip the charts
          --help                this text
        """;

    public required string Scenario { get; init; }
    public int Instances { get; init; } = 4;
    public int RoomSize { get; init; } = 1000;
    public int Messages { get; init; } = 2000;
    public int Rate { get; init; }
    public int Payload { get; init; } = 64;
    public bool MessagePack { get; init; }
    public IReadOnlyList<FanoutMode> Modes { get; init; } = FanoutModes.Default;

    /// <summary>fanout: after every this many messages the sender pushes one in the system class; 0 for none.</summary>
    public int SystemEvery { get; init; }
    public int Runs { get; init; } = 3;
    public int WarmupSeconds { get; init; } = 90;
    public int Connections { get; init; } = 100_000;
    public IReadOnlyList<string> ConnectionModes { get; init; } = ["ours", "stock"];
    public int IdleSeconds { get; init; } = 10;
    public string? OutDir { get; init; }
    public bool Charts { get; init; } = true;
    public bool Quick { get; init; }
    public int Players { get; init; } = 10_000;
    public int Follows { get; init; } = 50;
    public IReadOnlyList<int> Rates { get; init; } = [250, 500, 1000, 2000];
    public int Seconds { get; init; } = 10;
    public int Queries { get; init; } = 5000;
    public int QueryRate { get; init; } = 500;
    public int Members { get; init; } = 20;
    public int Attackers { get; init; } = 100;
    public IReadOnlyList<string> FloodLimits { get; init; } = ["limits off", "limits on"];
    public int Senders { get; init; } = 20;
    public int InFlight { get; init; } = 8;
    public IReadOnlyList<int> Histories { get; init; } = [10, 1000];

    /// <summary>game: <c>both</c> (half the players on each protocol), <c>json</c> or <c>messagepack</c>.</summary>
    public string Protocols { get; init; } = "both";

    /// <summary>game: whether the servers serve pushes by class (<c>Push:Priorities</c>).</summary>
    public bool Priorities { get; init; } = true;
    public GameMix Mix { get; init; } = GameMix.Default;
    public int GuildSize { get; init; } = 50;
    public int WorldSize { get; init; } = 250;
    public int ZoneSize { get; init; } = 250;
    public double AnnounceSeconds { get; init; } = 2;
    public double SystemRate { get; init; } = 5;

    /// <exception cref="ArgumentException">The command line is not valid; the message says why.</exception>
    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("Name a scenario: fanout, connections, presence, room, flood, game, chaos or floor.");
        }
        var scenario = args[0];
        if (scenario is not ("fanout" or "connections" or "presence" or "room" or "flood" or "game" or "chaos" or "floor"))
        {
            throw new ArgumentException($"Unknown scenario '{scenario}'. Scenarios: fanout, connections, presence, room, flood, game, chaos, floor.");
        }
        var quick = args.Contains("--quick");
        var options = quick
            ? new LoadOptions
            {
                Scenario = scenario, Quick = true, RoomSize = 200, Messages = 200, Runs = 1, WarmupSeconds = 5, Connections = 2000, IdleSeconds = 5,
                Players = 1000, Follows = 20, Rates = [200, 500], Seconds = 5, Queries = 1000, QueryRate = 200, Attackers = 20,
            }
            : new LoadOptions { Scenario = scenario };
        if (scenario == "game")
        {
            options = options with
            {
                Players = quick ? 1000 : 20_000, Follows = 50, Rates = quick ? [250, 500, 1000, 2000] : [125, 250, 500, 1000, 2000],
                WarmupSeconds = quick ? 15 : 90, Instances = 2,
            };
        }
        if (scenario == "floor")
        {
            options = options with { Connections = quick ? 2000 : 20_000, Instances = 2, Runs = quick ? 5 : 20 };
        }
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            double Decimal(double min, double max)
            {
                var text = Value();
                return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be a number from {min} to {max}; it was '{text}'.");
            }
            int Int(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; it was '{text}'.");
            }
            options = name switch
            {
                "--quick" => options,
                "--instances" => options with { Instances = Int(1, 16) },
                "--room-size" => options with { RoomSize = Int(1, 100_000) },
                "--messages" => options with { Messages = Int(1, 1_000_000) },
                "--rate" => options with { Rate = Int(0, 1_000_000) },
                "--payload" => options with { Payload = Int(0, 30_000) },
                "--protocol" => Value() switch
                {
                    "json" => options with { MessagePack = false, Protocols = "json" },
                    "messagepack" => options with { MessagePack = true, Protocols = "messagepack" },
                    var p => throw new ArgumentException($"--protocol must be json or messagepack; it was '{p}'."),
                },
                "--priorities" => Value() switch
                {
                    "on" => options with { Priorities = true },
                    "off" => options with { Priorities = false },
                    var p => throw new ArgumentException($"--priorities must be on or off; it was '{p}'."),
                },
                "--modes" => options with { Modes = ParseModes(Value()) },
                "--system-every" => options with { SystemEvery = Int(0, 1_000_000) },
                "--runs" => options with { Runs = Int(1, 20) },
                "--warmup-seconds" => options with { WarmupSeconds = Int(0, 600) },
                "--connections" => options with { Connections = Int(1, 1_000_000) },
                "--mode" => options with { ConnectionModes = Value() switch { "ours" => ["ours"], "stock" => ["stock"], "both" => ["ours", "stock"], var m => throw new ArgumentException($"--mode must be ours, stock or both; it was '{m}'.") } },
                "--idle-seconds" => options with { IdleSeconds = Int(1, 600) },
                "--players" => options with { Players = Int(2, 20_000) },
                "--follows" => options with { Follows = Int(1, 1000) },
                "--rates" => options with { Rates = ParseList("--rates", Value(), 1, 100_000) },
                "--seconds" => options with { Seconds = Int(1, 600) },
                "--queries" => options with { Queries = Int(1, 1_000_000) },
                "--query-rate" => options with { QueryRate = Int(1, 100_000) },
                "--members" => options with { Members = Int(2, 10_000) },
                "--attackers" => options with { Attackers = Int(1, 100_000) },
                "--limits" => options with { FloodLimits = Value() switch { "on" => ["limits on"], "off" => ["limits off"], "both" => ["limits off", "limits on"], var l => throw new ArgumentException($"--limits must be on, off or both; it was '{l}'.") } },
                "--senders" => options with { Senders = Int(1, 10_000) },
                "--in-flight" => options with { InFlight = Int(1, 1000) },
                "--histories" => options with { Histories = ParseList("--histories", Value(), 0, 100_000) },
                "--mix" => options with { Mix = GameMix.Parse(Value()) },
                "--guild-size" => options with { GuildSize = Int(2, 500) },
                "--world-size" => options with { WorldSize = Int(2, 10_000) },
                "--zone-size" => options with { ZoneSize = Int(1, 10_000) },
                "--announce-every" => options with { AnnounceSeconds = Decimal(0.1, 600) },
                "--system-rate" => options with { SystemRate = Decimal(0, 10_000) },
                "--out" => options with { OutDir = Value() },
                "--no-charts" => options with { Charts = false },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        if (scenario == "connections" && !args.Contains("--instances"))
        {
            options = options with { Instances = Math.Max(4, (options.Connections + 14_999) / 15_000) };
        }
        if (scenario is "presence" or "room" or "flood" && !args.Contains("--instances"))
        {
            options = options with { Instances = 2 };
        }
        if (scenario == "presence" && quick && !args.Contains("--warmup-seconds"))
        {
            options = options with { WarmupSeconds = 30 };
        }
        if (scenario == "presence" && options.Follows >= options.Players)
        {
            throw new ArgumentException($"--follows must be below --players ({options.Players}); it was {options.Follows}.");
        }
        if (scenario == "game" && options.Follows >= PlayersPerShard(options.Players))
        {
            throw new ArgumentException($"--follows must be below the players of a shard ({PlayersPerShard(options.Players)}); it was {options.Follows}.");
        }
        if (scenario == "room" && options.Senders > options.Members)
        {
            throw new ArgumentException($"--senders must be at most --members ({options.Members}); it was {options.Senders}.");
        }
        return options;
    }

    /// <summary>game: the players of each shard process (the last may have one fewer): at most 15,000, as a process
    /// here holds at most 20,000 open files.</summary>
    public static int PlayersPerShard(int players) => players / ShardsFor(players);

    /// <summary>game: the shard processes the players are split over.</summary>
    public static int ShardsFor(int players) => (players + 14_999) / 15_000;

    private static int[] ParseList(string name, string list, int min, int max)
    {
        var values = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"{name} holds '{v}'; each must be a whole number from {min} to {max}.")).ToArray();
        return values.Length > 0 ? values : throw new ArgumentException($"{name} needs at least one value.");
    }

    private static FanoutMode[] ParseModes(string list) =>
        [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(name =>
            FanoutModes.TryParse(name, out var mode)
                ? mode
                : throw new ArgumentException($"Unknown mode '{name}'. Modes: {string.Join(", ", Enum.GetValues<FanoutMode>().Select(FanoutModes.Name))}."))];
}
