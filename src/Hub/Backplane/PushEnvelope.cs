using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Hub.Backplane;

/// <summary>
/// One push as it crosses the backplane: the recipients' client IDs and the invocation already serialized once per hub
/// protocol, so the receiving instance writes bytes to its connections without serializing again. Pushes travel in
/// a <see cref="BackplaneMessage"/>, one or more at a time.
/// </summary>
internal sealed record PushEnvelope(IReadOnlyList<string> ClientIds, IReadOnlyList<SerializedMessage> Messages)
{
    /// <summary>True when both carry the same protocols in the same order, so their bytes can be joined per protocol.</summary>
    public bool HasSameProtocolsAs(PushEnvelope other)
    {
        if (Messages.Count != other.Messages.Count)
        {
            return false;
        }
        for (var i = 0; i < Messages.Count; i++)
        {
            if (Messages[i].ProtocolName != other.Messages[i].ProtocolName)
            {
                return false;
            }
        }
        return true;
    }
}
