using Orleans.Concurrency;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Presence;

/// <summary>
/// What the hub and other objects tell a <c>Player-{user}</c>. Not reachable by clients: they only reach the
/// <see cref="ObjectMethodAttribute"/> methods through the generic call.
/// </summary>
[Alias("SignalRChat.IPlayerGrain")]
public interface IPlayerGrain : IObjectGrain
{
    /// <summary>A connection of this user opened (the hub calls it before the client can call anything). Returns why
    /// the connection must close instead (the user has <c>Quotas:ConnectionsPerUser</c> already), or null.</summary>
    [Alias("ConnectionOpened")]
    Task<string?> ConnectionOpened(string clientId);

    /// <summary>A connection of this user closed.</summary>
    [Alias("ConnectionClosed")]
    Task ConnectionClosed(string clientId);

    /// <summary>The user called something: activity, which ends an idle <c>away</c>.</summary>
    [Alias("Active"), OneWay]
    Task Active();

    /// <summary>A hub instance is gone: its connections of this user closed without a notice.</summary>
    [Alias("InstanceGone")]
    Task InstanceGone(string instanceId);

    /// <summary>Records <paramref name="user"/> as a follower and returns the presence followers see.</summary>
    [Alias("AddFollower"), AlwaysInterleave]
    Task<Presence> AddFollower(string user);

    /// <summary>Forgets <paramref name="user"/> as a follower and returns the presence others see.</summary>
    [Alias("RemoveFollower"), AlwaysInterleave]
    Task<Presence> RemoveFollower(string user);

    /// <summary>The presence others see.</summary>
    [Alias("GetVisiblePresence"), AlwaysInterleave]
    Task<Presence> GetVisiblePresence();

    /// <summary>The user entered <paramref name="zone"/>, leaving any other. Returns the status zone members see, or null
    /// (nothing changed) when the user is offline.</summary>
    [Alias("EnterZone")]
    Task<string?> EnterZone(string zone);

    /// <summary>The user left <paramref name="zone"/>.</summary>
    [Alias("LeaveZone")]
    Task LeaveZone(string zone);

    /// <summary>A conversation with <paramref name="with"/> has a message: list it in the inbox. Interleaved, since the
    /// conversation calls it while this player may be waiting on that conversation.</summary>
    [Alias("ListConversation"), AlwaysInterleave]
    Task ListConversation(string with);

    /// <summary>The user read <paramref name="channel"/> up to <paramref name="seq"/>: the marker moves forward only (and
    /// the channel is listed in the inbox). Returns the marker as it was before.</summary>
    [Alias("MarkChannelRead"), AlwaysInterleave]
    Task<long> MarkChannelRead(string channel, long seq);

    /// <summary>The user became (<paramref name="listed"/>) or is no longer a member of <paramref name="channel"/>: list it
    /// in the inbox, or forget it and its marker.</summary>
    [Alias("ListChannel"), AlwaysInterleave]
    Task ListChannel(string channel, bool listed);

    /// <summary>The user joins <paramref name="party"/>: false when they are in another party (they must leave it first).</summary>
    [Alias("TryJoinParty"), AlwaysInterleave]
    Task<bool> TryJoinParty(string party);

    /// <summary>The user is no longer in <paramref name="party"/>.</summary>
    [Alias("LeftParty"), AlwaysInterleave]
    Task LeftParty(string party);

    /// <summary>The user makes chat room <paramref name="room"/>: counted against <c>Quotas:RoomsPerUser</c>. Returns
    /// why not (the user has made as many as they may), or null.</summary>
    [Alias("ReserveRoom"), AlwaysInterleave]
    Task<string?> ReserveRoom(string room);

    /// <summary>Chat room <paramref name="room"/>, made by the user, was deleted (it expired).</summary>
    [Alias("ReleaseRoom"), AlwaysInterleave]
    Task ReleaseRoom(string room);

    /// <summary>Whether the user is online (invisible counts as online: the party still has them).</summary>
    [Alias("IsOnline"), AlwaysInterleave]
    Task<bool> IsOnline();

    /// <summary>Stores a system message for the user and pushes it to their connections; it is kept until acknowledged.
    /// Use <see cref="Notices.SystemMessages.SendAsync"/>, which checks the arguments.</summary>
    [Alias("AddSystemMessage"), AlwaysInterleave]
    Task<Notices.SystemMessage> AddSystemMessage(string code, string text, string? data);
}
