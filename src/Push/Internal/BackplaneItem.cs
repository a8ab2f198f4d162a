using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>What a backplane item asks the receiving instance to do.</summary>
internal enum ItemKind : byte
{
    /// <summary>Write <see cref="BackplaneItem.Messages"/> to the client IDs in <see cref="BackplaneItem.Names"/> that are this instance's.</summary>
    Clients = 0,

    /// <summary>Write to the plain connection IDs in <see cref="BackplaneItem.Names"/> that this instance holds.</summary>
    Connections = 1,

    /// <summary>Write to every connection but the <see cref="BackplaneItem.Excluded"/> ones.</summary>
    All = 2,

    /// <summary>Write to the members of the groups in <see cref="BackplaneItem.Names"/>, but the <see cref="BackplaneItem.Excluded"/> ones.</summary>
    Groups = 3,

    /// <summary>Write to the connections of the users in <see cref="BackplaneItem.Names"/>.</summary>
    Users = 4,

    /// <summary>Invoke a client and send its result back: the target is <see cref="BackplaneItem.Names"/>[0].</summary>
    Invoke = 5,

    /// <summary>A client's answer to <see cref="Invoke"/>: one message, in the client's protocol.</summary>
    Completion = 6,

    /// <summary>Add the connection <see cref="BackplaneItem.Names"/>[0] to <see cref="BackplaneItem.Group"/>, then <see cref="Done"/>.</summary>
    AddToGroup = 7,

    /// <summary>Remove the connection <see cref="BackplaneItem.Names"/>[0] from <see cref="BackplaneItem.Group"/>, then <see cref="Done"/>.</summary>
    RemoveFromGroup = 8,

    /// <summary>A group change is done.</summary>
    Done = 9,

    /// <summary>The instance does not hold the connection a request named.</summary>
    NotFound = 10,
}

/// <summary>
/// One thing sent over the backplane: a message for connections (by client ID, connection ID, all, group or user,
/// serialized once per protocol by the sender), or a request or reply between two instances (client results, group
/// changes), correlated by <see cref="Id"/> and answered on the instance channel of <see cref="Reply"/>.
/// </summary>
internal sealed record BackplaneItem(ItemKind Kind, IReadOnlyList<string> Names, IReadOnlyList<SerializedMessage> Messages)
{
    /// <summary>Connections (client IDs or plain connection IDs) an <see cref="ItemKind.All"/> or <see cref="ItemKind.Groups"/> send skips.</summary>
    public IReadOnlyList<string> Excluded { get; init; } = [];

    /// <summary>The group of a group change.</summary>
    public string Group { get; init; } = "";

    /// <summary>The correlation ID of a request and its reply.</summary>
    public string Id { get; init; } = "";

    /// <summary>The instance that waits for the reply to a request.</summary>
    public string Reply { get; init; } = "";

    /// <summary>The send's class: where it queues, here and on the receiving instance.</summary>
    public PushPriority Priority { get; init; } = PushPriority.Chat;

    /// <summary>For a presence send, what it replaces while queued (<see cref="PushClass.ReplacementKey"/>); null for nothing.</summary>
    public string? ReplacementKey { get; init; }

    /// <summary>Whether both items go to the same recipients.</summary>
    public bool SameRecipients(BackplaneItem other) =>
        Kind == other.Kind && PushRuns.SameRecipients(Names, other.Names) && PushRuns.SameRecipients(Excluded, other.Excluded);

    /// <summary>A hash of what <see cref="SameRecipients"/> compares.</summary>
    public int RecipientsHash() => HashCode.Combine(Kind, PushRuns.HashRecipients(Names), PushRuns.HashRecipients(Excluded));

    /// <summary>How many deliveries the item names, for the drop counters.</summary>
    public int Recipients => Kind is ItemKind.Clients or ItemKind.Connections ? Names.Count : 1;
}
