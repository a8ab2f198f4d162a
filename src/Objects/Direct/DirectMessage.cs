namespace SignalRChat.Objects.Direct;

/// <summary>A direct message, as the recipient receives it in <c>DirectMessage</c> and both users read it with
/// <c>GetDirectMessages</c>.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.DirectMessage")]
public sealed record DirectMessage
{
    /// <summary>The message's ID, <c>{conversation}#{seq}</c>: what the recipient acknowledges with <c>Ack</c>.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The conversation: the two user names, sorted, joined by ':' (<c>alice:bob</c>).</summary>
    [Id(1)] public required string Conversation { get; init; }

    /// <summary>Sequence number within the conversation, both directions counted: 1, 2, 3 … without gaps.</summary>
    [Id(2)] public required long Seq { get; init; }

    /// <summary>The sender.</summary>
    [Id(3)] public required string From { get; init; }

    /// <summary>The recipient.</summary>
    [Id(4)] public required string To { get; init; }

    /// <summary>The text.</summary>
    [Id(5)] public required string Text { get; init; }

    /// <summary>When it was stored, in Unix milliseconds (UTC).</summary>
    [Id(6)] public required long Timestamp { get; init; }

    /// <summary>When a connection of the recipient first acknowledged it (Unix ms), or null; in reads only.</summary>
    [Id(7)] public long? DeliveredAt { get; init; }
}
