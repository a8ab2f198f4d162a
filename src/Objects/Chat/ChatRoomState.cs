namespace SignalRChat.Objects.Chat;

/// <summary>What a chat room stores: its recent history and its members.</summary>
[GenerateSerializer, Alias("SignalRChat.ChatRoomState")]
public sealed class ChatRoomState
{
    /// <summary>The room's title, set by <c>Create</c>.</summary>
    [Id(0)] public string? Title { get; set; }

    /// <summary>The user who created the room with <c>Create</c>.</summary>
    [Id(1)] public string? CreatedBy { get; set; }

    /// <summary>The sequence number of the last message.</summary>
    [Id(2)] public long LastSeq { get; set; }

    /// <summary>The most recent messages, oldest first.</summary>
    [Id(3)] public List<ChatMessage> Messages { get; set; } = [];

    /// <summary>Members by client ID, with each one's user name.</summary>
    [Id(4)] public Dictionary<string, string> Members { get; set; } = [];
}
