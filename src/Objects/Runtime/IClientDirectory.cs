namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Tells objects whether a client may still be connected. It answers false when the hub instance named in the client ID
/// stopped, or sent no heartbeat for a whole TTL (crashed, paused or cut off), so objects can forget members whose
/// connection ended without a disconnect notice. An instance that was only silent closes its connections when it
/// recovers, so its clients join again.
/// </summary>
public interface IClientDirectory
{
    /// <summary>False when the client's hub instance is known to be gone; true otherwise, unknown instances included.</summary>
    bool MayBeConnected(string clientId);
}
