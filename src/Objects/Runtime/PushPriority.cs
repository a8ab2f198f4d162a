namespace SignalRChat.Objects.Runtime;

/// <summary>
/// The class of a push (<see cref="IClientPush"/>): every queue on the push path serves queued <see cref="System"/>
/// pushes before <see cref="Chat"/> before <see cref="Presence"/>, and keeps the order of one object's pushes to one
/// client within a class. The same classes, with the same values, as the backplane's <c>SignalRChat.Push.PushPriority</c>.
/// </summary>
public enum PushPriority : byte
{
    /// <summary>Announcements, system messages, delivery confirmations: overtake queued chat; never dropped for a client that keeps reading.</summary>
    System = 0,

    /// <summary>Channel and direct messages, and the default: queued in order and back-pressured, never dropped.</summary>
    Chat = 1,

    /// <summary>
    /// State that a newer update replaces (presence, zone changes, typing, read markers): served last. A queued one
    /// is replaced by a newer push with the same subject, method and recipients; under overload the oldest may be
    /// dropped, and clients read the current state (<c>GetPresence</c>, <c>ListPlayers</c>).
    /// </summary>
    Presence = 2,
}
