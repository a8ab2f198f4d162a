namespace SignalRChat.Push;

/// <summary>
/// The class of a send, which decides its place in the queues of the push path: the outboxes towards other instances
/// and the writes to this instance's connections serve every queued <see cref="System"/> send before any
/// <see cref="Chat"/> send, and those before any <see cref="Presence"/> send. Within a class, sends from one sender
/// reach one recipient in the order they were made. Choose it with <see cref="PushPriorities.Use"/>.
/// </summary>
public enum PushPriority : byte
{
    /// <summary>
    /// Announcements, system messages, delivery confirmations: overtakes queued chat and presence, and is never
    /// dropped for a client that keeps reading. A full outbox refuses it like chat.
    /// </summary>
    System = 0,

    /// <summary>Messages (the default): queued in order and back-pressured (a full outbox refuses the send), never dropped.</summary>
    Chat = 1,

    /// <summary>
    /// State that a newer update replaces (presence, positions, typing): served last. While it waits, a newer send
    /// with the same subject (<see cref="PushPriorities.Use"/>), method and recipients replaces it; when its queue is
    /// full, the oldest queued presence send is dropped (counted as <c>signalrchat.push.dropped{cause=overflow}</c>)
    /// instead of refusing the new one.
    /// </summary>
    Presence = 2,
}
