namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Tells objects whether a client may still be connected. It answers false only when the hub instance named in the
/// client ID is known to be gone (it stopped, or crashed and stopped sending heartbeats), so objects can forget members
/// whose connection ended without a disconnect notice.
/// </summary>
public interface IClientDirectory
{
    /// <summary>False when the client's hub instance is known to be gone; true otherwise, unknown instances included.</summary>
    bool MayBeConnected(string clientId);
}
