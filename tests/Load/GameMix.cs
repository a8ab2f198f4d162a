using System.Globalization;

namespace SignalRChat.Load;

/// <summary>What a player of the game scenario does, one action at a time.</summary>
internal enum GameAction
{
    /// <summary><c>Guild.SendMessage</c> to the player's guild.</summary>
    Guild,

    /// <summary><c>Party.SendMessage</c> to the player's party.</summary>
    Party,

    /// <summary><c>World.SendMessage</c> to the player's world channel.</summary>
    World,

    /// <summary><c>Player.SendDirect</c> to a friend (someone the player follows); the call waits for the stored message.</summary>
    Direct,

    /// <summary><c>Player.SetStatus</c>: every follower is told.</summary>
    Status,

    /// <summary><c>Zone.Move</c> within the player's zone: nobody is told.</summary>
    Move,

    /// <summary><c>Zone.Enter</c> of another zone: followers and the members of both zones are told.</summary>
    Zone,
}

/// <summary>The shares of each action in the game scenario's traffic, as whole-number weights
/// (<c>guild=25,party=20,world=5,direct=10,status=10,move=28,zone=2</c>: percentages when they add up to 100).</summary>
internal sealed record GameMix(IReadOnlyDictionary<GameAction, int> Weights)
{
    public static readonly GameMix Default = new(new Dictionary<GameAction, int>
    {
        [GameAction.Guild] = 25,
        [GameAction.Party] = 20,
        [GameAction.World] = 5,
        [GameAction.Direct] = 10,
        [GameAction.Status] = 10,
        [GameAction.Move] = 28,
        [GameAction.Zone] = 2,
    });

    public int Total => Weights.Values.Sum();

    /// <summary>The action whose share holds <paramref name="draw"/>, a number from 0 to <see cref="Total"/> (excluded).</summary>
    public GameAction Pick(int draw)
    {
        foreach (var action in Enum.GetValues<GameAction>())
        {
            draw -= Weights.GetValueOrDefault(action);
            if (draw < 0)
            {
                return action;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(draw), draw, $"The draw must be below the mix's total, {Total}.");
    }

    /// <exception cref="ArgumentException">The list names an unknown action, or a weight that is not a whole number.</exception>
    public static GameMix Parse(string list)
    {
        var weights = Enum.GetValues<GameAction>().ToDictionary(a => a, _ => 0);
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !Enum.TryParse<GameAction>(pair[0], ignoreCase: true, out var action) || !Enum.IsDefined(action)
                || char.IsDigit(pair[0][0]))
            {
                throw new ArgumentException($"--mix holds '{part}'; each entry is action=weight, the actions {Names}.");
            }
            if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > 1000)
            {
                throw new ArgumentException($"--mix gives {pair[0]} the weight '{pair[1]}'; weights are whole numbers from 0 to 1000.");
            }
            weights[action] = weight;
        }
        return weights.Values.Sum() > 0 ? new GameMix(weights) : throw new ArgumentException("--mix needs at least one weight above 0.");
    }

    /// <summary>The mix as <see cref="Parse"/> reads it.</summary>
    public override string ToString() =>
        string.Join(",", Enum.GetValues<GameAction>().Select(a => FormattableString.Invariant($"{a.ToString().ToLowerInvariant()}={Weights.GetValueOrDefault(a)}")));

    private static string Names => string.Join(", ", Enum.GetValues<GameAction>().Select(a => a.ToString().ToLowerInvariant()));
}
