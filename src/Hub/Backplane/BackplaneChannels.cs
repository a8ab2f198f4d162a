using StackExchange.Redis;

namespace SignalRChat.Hub.Backplane;

/// <summary>The Redis channels of the push path. The connection adds <see cref="Push.PushOptions.ChannelPrefix"/>.</summary>
internal static class BackplaneChannels
{
    /// <summary>The channel an instance listens on for pushes to its own clients.</summary>
    public static RedisChannel Instance(string instanceId) => RedisChannel.Literal($"push:instance:{instanceId}");

    /// <summary>The channel every instance listens on in the fan-out-on-read strategy.</summary>
    public static RedisChannel All { get; } = RedisChannel.Literal("push:all");
}
