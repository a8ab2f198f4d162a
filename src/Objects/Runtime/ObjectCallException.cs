namespace SignalRChat.Objects.Runtime;

/// <summary>
/// A call to an object failed for a reason its caller can act on (unknown type or method, bad arguments,
/// a rule of the object). The message is meant for the caller and names what was wrong.
/// </summary>
public sealed class ObjectCallException(string message) : Exception(message);
