using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Limits;

/// <summary>
/// How fast clients may call and connect (configuration section <c>RateLimits</c>). Each limit is a token bucket kept by
/// each instance: a user connected to two instances gets each instance's allowance.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimits";

    /// <summary>False turns every limit of this section off (for example behind a gateway that limits already).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every object call and create of one connection (above a game client's 20 moves a second).</summary>
    public RateRule PerConnection { get; set; } = new() { PerSecond = 50, Burst = 100 };

    /// <summary>Calls of one user on this instance, by <c>Type.Method</c> (for example <c>ChatRoom.SendMessage</c>) or
    /// <c>Type.Create</c>; methods not named here are limited by <see cref="PerConnection"/> only.</summary>
    public Dictionary<string, RateRule> PerUser { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A connection refused by the rate limits this many times in a row is closed (with a reason, without
    /// reconnect): a client that ignores refusals costs the server a parse of every call it sends. 0 never closes.</summary>
    public int CloseAfterRefusals { get; set; } = 20;

    /// <summary>New connections (a negotiation, or a WebSocket that skips it) of one user.</summary>
    public RateRule ConnectionsPerUser { get; set; } = new() { PerSecond = 1, Burst = 20 };

    /// <summary>New connections from one IP address (behind a proxy, forward the client's address, or turn this off).</summary>
    public RateRule ConnectionsPerAddress { get; set; } = new() { PerSecond = 20, Burst = 200 };
}

/// <summary>A token bucket: <see cref="Burst"/> at once, refilled at <see cref="PerSecond"/>; a rate of 0 turns it off.</summary>
public sealed class RateRule
{
    /// <summary>Permits added per second (fractions allowed: 0.2 is one every 5 s); 0 means no limit.</summary>
    public double PerSecond { get; set; }

    /// <summary>The most permits at once.</summary>
    public int Burst { get; set; }

    internal bool IsOff => PerSecond == 0;

    /// <summary>"at most 5 a second, 10 at once".</summary>
    internal string Describe() =>
        $"at most {(PerSecond >= 1 ? $"{PerSecond:0.##} a second" : $"one every {1 / PerSecond:0.#} s")}, {Burst} at once";
}

internal sealed class RateLimitOptionsValidator(ObjectCatalog catalog) : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        List<string> problems = [];
        Check(problems, $"{RateLimitOptions.Section}:PerConnection", options.PerConnection);
        Check(problems, $"{RateLimitOptions.Section}:ConnectionsPerUser", options.ConnectionsPerUser);
        Check(problems, $"{RateLimitOptions.Section}:ConnectionsPerAddress", options.ConnectionsPerAddress);
        if (options.CloseAfterRefusals < 0)
        {
            problems.Add($"{RateLimitOptions.Section}:CloseAfterRefusals must be 0 (never) or more; it is {options.CloseAfterRefusals}.");
        }
        foreach (var (key, rule) in options.PerUser)
        {
            var setting = $"{RateLimitOptions.Section}:PerUser:{key}";
            Check(problems, setting, rule);
            var parts = key.Split('.');
            if (parts.Length != 2 || !catalog.TryGetType(parts[0], out var type))
            {
                problems.Add($"{setting} must be 'Type.Method' or 'Type.Create' with one of the types {string.Join(", ", catalog.TypeNames)}.");
            }
            else if (parts[1] != CallLimits.CreateMethod && !type.HasMethod(parts[1]))
            {
                problems.Add($"{setting} names '{parts[1]}', which {parts[0]} does not have. Methods: {string.Join(", ", type.MethodNames)}, or Create.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Check(List<string> problems, string setting, RateRule rule)
    {
        if (!double.IsFinite(rule.PerSecond) || rule.PerSecond < 0 || rule.PerSecond > 1_000_000)
        {
            problems.Add($"{setting}:PerSecond must be between 0 (no limit) and 1000000; it is {rule.PerSecond}.");
        }
        else if (!rule.IsOff && rule.Burst < 1)
        {
            problems.Add($"{setting}:Burst must be at least 1; it is {rule.Burst}.");
        }
    }
}
