using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Instances;

/// <summary>Embedded mode: one process, whose own disconnect notices keep rooms right; no instance is ever gone.</summary>
internal sealed class EmbeddedClientDirectory : IClientDirectory
{
    public bool MayBeConnected(string clientId) => true;
}
