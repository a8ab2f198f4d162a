namespace SignalRChat.Objects.Chat;

/// <summary>What a chat room stores in grain state: its title and members. Messages are in the room's history log.</summary>
[GenerateSerializer, Alias("SignalRChat.ChatRoomState")]
public sealed class ChatRoomState
{
    /// <summary>The room's title, set by <c>Create</c>.</summary>
    [Id(0)] public string? Title { get; set; }

    /// <summary>The user who created the room with <c>Create</c>.</summary>
    [Id(1)] public string? CreatedBy { get; set; }

    /// <summary>Messages stored by earlier versions, which kept the history here; moved to the log on activation.</summary>
    [Id(3)] public List<ChatMessage> LegacyMessages { get; set; } = [];

    /// <summary>Members by client ID, with each one's user name.</summary>
    [Id(4)] public Dictionary<string, string> Members { get; set; } = [];

    /// <summary>Users the owner made moderators.</summary>
    [Id(5)] public HashSet<string> Moderators { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Banned users, with when the ban ends (Unix ms; <see cref="long.MaxValue"/> until lifted).</summary>
    [Id(6)] public Dictionary<string, long> Bans { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Muted users, with when the mute ends (Unix ms).</summary>
    [Id(7)] public Dictionary<string, long> Mutes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Invite-only: only <see cref="Allowed"/> users (and the owner, moderators and admins) may join.</summary>
    [Id(8)] public bool Private { get; set; }

    /// <summary>The member list of a private room.</summary>
    [Id(9)] public HashSet<string> Allowed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The user whose <c>Quotas:RoomsPerUser</c> the room counts against: who created it, or first joined it.</summary>
    [Id(10)] public string? Maker { get; set; }
}
