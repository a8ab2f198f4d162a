namespace SignalRChat.Objects.Chat;

/// <summary>A stored chat message, as clients receive it in <c>NewMessage</c> and <c>GetMessages</c>.</summary>
[GenerateSerializer, Alias("SignalRChat.ChatMessage")]
public sealed class ChatMessage
{
    /// <summary>The room's object ID, for example <c>ChatRoom-general</c>.</summary>
    [Id(0)] public required string Room { get; init; }

    /// <summary>Sequence number within the room: 1, 2, 3 … without gaps.</summary>
    [Id(1)] public required long Seq { get; init; }

    /// <summary>The authenticated user who sent it.</summary>
    [Id(2)] public required string User { get; init; }

    /// <summary>The text.</summary>
    [Id(3)] public required string Text { get; init; }

    /// <summary>When the room stored it, in Unix milliseconds (UTC).</summary>
    [Id(4)] public required long Timestamp { get; init; }

    /// <summary>The message's ID, unique in the cluster: <c>{room}#{seq}</c>, for example <c>ChatRoom-general#17</c>.</summary>
    public string Id => $"{Room}#{Seq}";

    /// <summary>The message a channel stores for <paramref name="user"/>'s text, numbered and timed by its history.</summary>
    internal static Func<long, long, ChatMessage> For(string room, string user, string text) =>
        (seq, timestamp) => new ChatMessage { Room = room, Seq = seq, User = user, Text = text, Timestamp = timestamp };
}
