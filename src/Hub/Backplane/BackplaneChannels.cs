using StackExchange.Redis;

namespace SignalRChat.Hub.Backplane;

/// <summary>The Redis channels of the push path.</summary>
internal sealed class BackplaneChannels(string prefix)
{
    /// <summary>The channel an instance listens on for pushes to its own clients.</summary>
    public RedisChannel Instance(string instanceId) => RedisChannel.Literal($"{prefix}:push:instance:{instanceId}");

    /// <summary>The channel every instance listens on in the fan-out-on-read strategy.</summary>
    public RedisChannel All { get; } = RedisChannel.Literal($"{prefix}:push:all");
}
