namespace SignalRChat.Objects.Runtime;

/// <summary>What an object call returns across the grain boundary: a JSON result or the caller-facing error text.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.ObjectResult")]
public sealed record ObjectResult(
    [property: Id(0)] byte[]? Json,
    [property: Id(1)] string? Error,
    [property: Id(2)] DisconnectWatch Watch)
{
    /// <summary>Whether the call succeeded.</summary>
    public bool Succeeded => Error is null;

    internal static ObjectResult Failed(string error) => new(null, error, DisconnectWatch.None);
}

/// <summary>
/// What the calling client's hub should do about telling the object when that client disconnects:
/// an object asks for it while the client is one of its members (a room member, a zone occupant).
/// </summary>
public enum DisconnectWatch
{
    /// <summary>No change.</summary>
    None,

    /// <summary>Tell the object when the calling client disconnects.</summary>
    Start,

    /// <summary>Stop telling the object.</summary>
    Stop,
}
