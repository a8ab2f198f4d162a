using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SignalRChat.Push.Internal;

/// <summary>Rejects a bad backplane setting at start, naming it; never echoes the connection string, which may hold a password.</summary>
internal sealed class ClusterBackplaneOptionsValidator : IValidateOptions<ClusterBackplaneOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterBackplaneOptions options)
    {
        List<string> problems = [];
        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            try
            {
                ConfigurationOptions.Parse(options.Configuration);
            }
            catch (ArgumentException)
            {
                problems.Add("Cluster backplane: Configuration is not a valid Redis connection string (StackExchange.Redis format, for example 127.0.0.1:6379).");
            }
        }
        if (!Enum.IsDefined(options.Strategy))
        {
            problems.Add($"Cluster backplane: Strategy '{options.Strategy}' is not one of {string.Join(", ", Enum.GetNames<PushStrategy>())}.");
        }
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix))
        {
            problems.Add("Cluster backplane: ChannelPrefix must not be empty.");
        }
        if (!string.IsNullOrEmpty(options.InstanceId) && !ClientId.IsInstanceId(options.InstanceId))
        {
            problems.Add($"Cluster backplane: InstanceId '{options.InstanceId}' must be 1-{ClientId.MaxInstanceIdLength} letters, digits, '-', '_', '.' or ':'.");
        }
        if (options.OutboxCapacity < 1)
        {
            problems.Add($"Cluster backplane: OutboxCapacity must be at least 1; it is {options.OutboxCapacity}.");
        }
        if (options.SlowClientBufferBytes < 1024)
        {
            problems.Add($"Cluster backplane: SlowClientBufferBytes must be at least 1024; it is {options.SlowClientBufferBytes}.");
        }
        if (options.SlowClientTimeout < TimeSpan.FromMilliseconds(100))
        {
            problems.Add($"Cluster backplane: SlowClientTimeout must be at least 100 ms; it is {options.SlowClientTimeout}.");
        }
        if (options.InstanceTtl < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Cluster backplane: InstanceTtl must be at least 1 second; it is {options.InstanceTtl}.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
