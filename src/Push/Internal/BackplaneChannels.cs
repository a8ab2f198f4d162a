using StackExchange.Redis;

namespace SignalRChat.Push.Internal;

/// <summary>
/// The Redis channels of one hub: <c>{prefix}:{hub}:instance:{instanceId}</c>, which only that instance reads, and
/// <c>{prefix}:{hub}:all</c>, which every instance reads. Two per hub per instance, whatever the connections, groups
/// and users; hubs never see each other's messages.
/// </summary>
internal sealed class BackplaneChannels(string prefix, string hubName)
{
    public RedisChannel Instance(string instanceId) => RedisChannel.Literal($"{prefix}:{hubName}:instance:{instanceId}");

    public RedisChannel All { get; } = RedisChannel.Literal($"{prefix}:{hubName}:all");
}
