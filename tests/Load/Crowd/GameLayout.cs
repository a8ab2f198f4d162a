namespace SignalRChat.Load.Crowd;

/// <summary>
/// Who belongs where in a shard of the game, from its config alone: players (by index within the shard) in guilds of
/// about <c>GuildSize</c> (consecutive players), parties of 4 to 8 (a shuffled order), world channels of about
/// <c>WorldSize</c> (every n-th player) and zones of about <c>ZoneSize</c> (at random); player i follows the next F
/// (i+1 … i+F, so each has exactly F followers: i-1 … i-F).
/// </summary>
internal sealed class GameLayout
{
    public const int MinPartySize = 4;
    public const int MaxPartySize = 8;

    private readonly GameShardConfig _config;

    public GameLayout(GameShardConfig config)
    {
        _config = config;
        var random = new Random(config.Seed);
        Count = config.Count;
        Follows = config.Follows;

        var guilds = Math.Max(1, (int)Math.Round((double)Count / config.GuildSize));
        GuildOf = [.. Enumerable.Range(0, Count).Select(p => (int)((long)p * guilds / Count))];
        Guilds = Members(GuildOf, guilds);

        var worlds = Math.Max(1, (int)Math.Round((double)Count / config.WorldSize));
        WorldOf = [.. Enumerable.Range(0, Count).Select(p => p % worlds)];
        Worlds = Members(WorldOf, worlds);

        ZoneCount = Math.Max(1, (int)Math.Round((double)Count / config.ZoneSize));
        InitialZone = [.. Enumerable.Range(0, Count).Select(_ => random.Next(ZoneCount))];

        var order = Enumerable.Range(0, Count).ToArray();
        random.Shuffle(order);
        PartyOf = new int[Count];
        var parties = new List<int[]>();
        var next = 0;
        foreach (var size in PartySizes(Count, random))
        {
            var members = order[next..(next + size)];
            foreach (var member in members)
            {
                PartyOf[member] = parties.Count;
            }
            parties.Add(members);
            next += size;
        }
        Parties = [.. parties];
    }

    public int Count { get; }

    public int Follows { get; }

    public int[] GuildOf { get; }

    public int[][] Guilds { get; }

    public int[] PartyOf { get; }

    public int[][] Parties { get; }

    public int[] WorldOf { get; }

    public int[][] Worlds { get; }

    public int ZoneCount { get; }

    public int[] InitialZone { get; }

    /// <summary>The user name of player <paramref name="player"/> of this shard: <c>p{global index}</c>.</summary>
    public string User(int player) => $"p{_config.First + player}";

    public string PlayerId(int player) => $"Player-{User(player)}";

    /// <summary>The shard's player of a global index, or -1 when it belongs to another shard.</summary>
    public int Local(int global) => global - _config.First is var local && local >= 0 && local < Count ? local : -1;

    public string GuildId(int guild) => $"Guild-s{_config.Shard}-{guild}";

    public string PartyId(int party) => $"Party-s{_config.Shard}-{party}";

    public string WorldId(int world) => $"World-s{_config.Shard}-{world}";

    public string ZoneId(int zone) => $"Zone-s{_config.Shard}-{zone}";

    /// <summary>The player that <paramref name="player"/> follows at distance <paramref name="step"/> (1 … F).</summary>
    public int Friend(int player, int step) => (player + step) % Count;

    /// <summary>How far ahead of <paramref name="follower"/> <paramref name="player"/> is (1 … F when followed, else 0 or more than F).</summary>
    public int Distance(int follower, int player) => ((player - follower) % Count + Count) % Count;

    /// <summary>Sizes of 4 to 8 that add up to <paramref name="count"/> (one smaller party only when fewer than 4 are left
    /// and every party is full).</summary>
    private static List<int> PartySizes(int count, Random random)
    {
        var sizes = new List<int>();
        var left = count;
        while (left >= MinPartySize)
        {
            var size = Math.Min(left, random.Next(MinPartySize, MaxPartySize + 1));
            sizes.Add(size);
            left -= size;
        }
        for (var i = 0; left > 0 && i < sizes.Count; i++)
        {
            if (sizes[i] < MaxPartySize)
            {
                sizes[i]++;
                left--;
            }
        }
        if (left > 0)
        {
            sizes.Add(left);
        }
        return sizes;
    }

    private int[][] Members(int[] groupOf, int groups)
    {
        var members = Enumerable.Range(0, groups).Select(_ => new List<int>()).ToArray();
        for (var player = 0; player < Count; player++)
        {
            members[groupOf[player]].Add(player);
        }
        return [.. members.Select(m => m.ToArray())];
    }
}
