using Microsoft.Extensions.Options;

namespace SignalRChat.Hub.Push;

/// <summary>Settings of the push path (configuration section <c>Push</c>).</summary>
public sealed class PushOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Push";

    /// <summary>How pushes cross the backplane.</summary>
    public PushStrategy Strategy { get; set; } = PushStrategy.PerInstance;

    /// <summary>Pushes waiting to be published towards one instance before further pushes to it are refused (backpressure).</summary>
    public int OutboxCapacity { get; set; } = 1024;

    /// <summary>Messages waiting to be written to one client before that client is disconnected as too slow.</summary>
    public int SlowClientMessageLimit { get; set; } = 256;

    /// <summary>Prefix of every Redis channel and key the hub uses, so several deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "signalrchat";
}

internal sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        List<string> problems = [];
        if (!Enum.IsDefined(options.Strategy))
        {
            problems.Add($"Push:Strategy '{options.Strategy}' is not one of {string.Join(", ", Enum.GetNames<PushStrategy>())}.");
        }
        if (options.OutboxCapacity < 1)
        {
            problems.Add($"Push:OutboxCapacity must be at least 1; it is {options.OutboxCapacity}.");
        }
        if (options.SlowClientMessageLimit < 1)
        {
            problems.Add($"Push:SlowClientMessageLimit must be at least 1; it is {options.SlowClientMessageLimit}.");
        }
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix))
        {
            problems.Add("Push:ChannelPrefix must not be empty.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
