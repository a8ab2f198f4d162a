using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Hub.Push;

/// <summary>
/// Consecutive pushes to the same recipients, written to each connection at once. Their bytes are joined per
/// protocol: what a connection's transport sends anyway when several writes queue on it, so clients read each push as
/// its own message, in order.
/// </summary>
internal static class PushRuns
{
    /// <summary>True when both lists name the same recipients in the same order.</summary>
    public static bool SameRecipients(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // The lists of consecutive pushes to one room usually hold the very same strings: reference checks first.
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The pushes' bytes back to back, per protocol.</summary>
    /// <param name="pushes">Each push's bytes, one entry per protocol, in the same protocol order for every push.</param>
    public static SerializedHubMessage Join(IReadOnlyList<IReadOnlyList<SerializedMessage>> pushes)
    {
        var first = pushes[0];
        var joined = new SerializedMessage[first.Count];
        for (var protocol = 0; protocol < first.Count; protocol++)
        {
            var length = 0;
            foreach (var push in pushes)
            {
                length += push[protocol].Serialized.Length;
            }
            var bytes = new byte[length];
            var offset = 0;
            foreach (var push in pushes)
            {
                var part = push[protocol].Serialized.Span;
                part.CopyTo(bytes.AsSpan(offset));
                offset += part.Length;
            }
            joined[protocol] = new SerializedMessage(first[protocol].ProtocolName, bytes);
        }
        return new SerializedHubMessage(joined);
    }
}
