using Orleans.Concurrency;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>What a player asks of the channels its user reads (rooms, worlds, guilds, parties); clients cannot reach it.</summary>
[Alias("SignalRChat.IChannelGrain")]
public interface IChannelGrain : IObjectGrain
{
    /// <summary>The channel's title, last sequence number and last message, as <paramref name="user"/> sees it in
    /// <c>GetInbox</c>; null when the channel does not exist or does not have them as a member any more.</summary>
    [Alias("Summary"), AlwaysInterleave]
    Task<ChannelSummary?> Summary(string user);
}

/// <summary>A channel as <c>GetInbox</c> lists it, before the reader's marker is applied.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.ChannelSummary")]
public sealed record ChannelSummary(
    [property: Id(0)] string Room,
    [property: Id(1)] string? Title,
    [property: Id(2)] long LastSeq,
    [property: Id(3)] ChatMessage? Last);
