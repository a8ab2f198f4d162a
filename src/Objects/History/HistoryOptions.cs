namespace SignalRChat.Objects.History;

/// <summary>History retention per kind of channel (configuration section <c>History</c>).</summary>
public sealed class HistoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "History";

    /// <summary>Chat rooms (<c>ChatRoom-{id}</c>): 1,000 messages, 30 days by default.</summary>
    public HistoryRetention ChatRoom { get; set; } = new();

    /// <summary>Guild channels (<c>Guild-{id}</c>): 1,000 messages, 30 days by default.</summary>
    public HistoryRetention Guild { get; set; } = new();

    /// <summary>Party channels (<c>Party-{id}</c>): 1,000 messages, 30 days by default; deleted when the party ends.</summary>
    public HistoryRetention Party { get; set; } = new();

    /// <summary>World channels (<c>World-{id}</c>): short, 200 messages and 1 hour by default.</summary>
    public HistoryRetention World { get; set; } = new() { MaxMessages = 200, MaxAge = TimeSpan.FromHours(1) };

    /// <summary>Direct messages, per conversation of two users: 1,000 messages, 30 days by default (receipts too).</summary>
    public HistoryRetention Direct { get; set; } = new();

    /// <summary>Every retention setting with its configuration name, for validation.</summary>
    internal IEnumerable<(string Name, HistoryRetention Retention)> All() =>
        [(nameof(ChatRoom), ChatRoom), (nameof(Guild), Guild), (nameof(Party), Party), (nameof(World), World), (nameof(Direct), Direct)];
}
