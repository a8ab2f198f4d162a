namespace SignalRChat.Objects.Presence;

/// <summary>What a player stores about its presence. Small: it is written on every connect and disconnect.</summary>
[GenerateSerializer, Alias("SignalRChat.PlayerState")]
public sealed class PlayerState
{
    /// <summary>The status the user chose (<see cref="PresenceStatus.Online"/> when a session starts, unless invisible).</summary>
    [Id(0)] public string Status { get; set; } = PresenceStatus.Online;

    /// <summary>The status text.</summary>
    [Id(1)] public string? Text { get; set; }

    /// <summary>The activity, as raw JSON.</summary>
    [Id(2)] public string? Activity { get; set; }

    /// <summary>The zone the user is in.</summary>
    [Id(3)] public string? Zone { get; set; }

    /// <summary>When the user last called anything (Unix ms); written with other changes, not on every call.</summary>
    [Id(4)] public long? LastActiveAt { get; set; }

    /// <summary>When the user last turned offline as others see it (Unix ms).</summary>
    [Id(5)] public long? LastSeen { get; set; }

    /// <summary>The user's open connections, by client ID, on any instance.</summary>
    [Id(6)] public HashSet<string> Connections { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Online: from the first connection until the last has been gone for the offline grace.</summary>
    [Id(7)] public bool Online { get; set; }

    /// <summary>Turned away by the server for inactivity; the next call brings <see cref="Status"/> back.</summary>
    [Id(8)] public bool Idle { get; set; }
}

/// <summary>Whom a player follows, and who follows it. Written only when these change.</summary>
[GenerateSerializer, Alias("SignalRChat.PlayerFollowsState")]
public sealed class PlayerFollowsState
{
    /// <summary>The users this player follows.</summary>
    [Id(0)] public HashSet<string> Following { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The users who follow this player: they receive its <c>PresenceChanged</c>.</summary>
    [Id(1)] public HashSet<string> Followers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>What other objects tell a player of: the user's conversations and channels (for <c>GetInbox</c>), party and
/// system messages.
/// Written only by interleaved notices, one write at a time.</summary>
[GenerateSerializer, Alias("SignalRChat.PlayerSocialState")]
public sealed class PlayerSocialState
{
    /// <summary>The users this user has a conversation with.</summary>
    [Id(0)] public HashSet<string> Conversations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The party the user is in, told by the party; it hears when the user goes offline.</summary>
    [Id(1)] public string? Party { get; set; }

    /// <summary>System messages not yet acknowledged, oldest first.</summary>
    [Id(2)] public List<SignalRChat.Objects.Notices.SystemMessage> SystemMessages { get; set; } = [];

    /// <summary>The number of the last system message, for the next one's ID.</summary>
    [Id(3)] public long SystemSeq { get; set; }

    /// <summary>The channels in the user's inbox (<c>GetInbox</c>), by object ID, with how far the user has read each.</summary>
    [Id(4)] public Dictionary<string, ChannelRead> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The chat rooms the user made that still exist (<c>Quotas:RoomsPerUser</c>).</summary>
    [Id(5)] public HashSet<string> Rooms { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A channel in a player's inbox: the user's read marker in it, and why it is listed.</summary>
[GenerateSerializer, Alias("SignalRChat.ChannelRead")]
public sealed class ChannelRead
{
    /// <summary>The sequence number the user has read up to (it only moves forward).</summary>
    [Id(0)] public long LastReadSeq { get; set; }

    /// <summary>When the user last marked it read (Unix milliseconds); the least recent goes first past the limit.</summary>
    [Id(1)] public long MarkedAt { get; set; }

    /// <summary>The user is a member (guild, party): listed until they leave, never dropped for the limit.</summary>
    [Id(2)] public bool Member { get; set; }
}
