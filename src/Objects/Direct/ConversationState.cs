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

    /// <summary>Per user, the sequence number they have read up to (it only moves forward).</summary>
    [Id(2)] public Dictionary<string, long> ReadUpTo { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per user, messages sent to them that they have not read (not covered by their <see cref="ReadUpTo"/>).</summary>
    [Id(3)] public Dictionary<string, int> Unread { get; set; } = new(StringComparer.Ordinal);
}
