namespace SignalRChat.Objects.Direct;

/// <summary>What a conversation stores in grain state: who blocked whom, and whose player knows of it. Messages are in
/// its history log, receipts beside it.</summary>
[GenerateSerializer, Alias("SignalRChat.ConversationState")]
public sealed class ConversationState
{
    /// <summary>The users (of the two) who blocked the other.</summary>
    [Id(0)] public HashSet<string> BlockedBy { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The users whose player lists this conversation in its inbox.</summary>
    [Id(1)] public HashSet<string> Listed { get; set; } = new(StringComparer.Ordinal);
}
