using Orleans.Concurrency;
using SignalRChat.Objects.Chat;

namespace SignalRChat.Objects.Parties;

/// <summary>The typed notices a party receives from players; clients cannot reach them.</summary>
[Alias("SignalRChat.IPartyGrain")]
public interface IPartyGrain : IChannelGrain
{
    /// <summary>A member went offline (their last connection closed longer than the presence grace ago).</summary>
    [Alias("MemberOffline"), OneWay]
    Task MemberOffline(string user);

    /// <summary>Whether <paramref name="user"/> is a member: a player checks before it lets its user join another party.</summary>
    [Alias("HasMember"), AlwaysInterleave]
    Task<bool> HasMember(string user);
}
