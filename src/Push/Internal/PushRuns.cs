using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Consecutive sends to the same recipients, written to each connection at once. Their bytes are joined per
/// protocol: what a connection's transport sends anyway when several writes queue on it, so clients read each send as
/// its own message, in order.
/// </summary>
internal static class PushRuns
{
    /// <summary>True when both lists name the same recipients in the same order.</summary>
    public static bool SameRecipients(IReadOnlyList<string> a, IReadOnlyList<string> b) => Same(a, b, StringComparer.Ordinal);

    /// <summary>True when both lists hold the same connections in the same order.</summary>
    public static bool SameConnections(IReadOnlyList<LocalConnection> a, IReadOnlyList<LocalConnection> b) => Same(a, b, ReferenceEqualityComparer.Instance);

    /// <summary>A hash of the recipients, equal for lists <see cref="SameRecipients"/> finds the same.</summary>
    public static int HashRecipients(IReadOnlyList<string> recipients)
    {
        var hash = new HashCode();
        for (var i = 0; i < recipients.Count; i++)
        {
            hash.Add(recipients[i], StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>A hash of the connections, equal for lists <see cref="SameConnections"/> finds the same.</summary>
    public static int HashConnections(IReadOnlyList<LocalConnection> connections)
    {
        var hash = new HashCode();
        for (var i = 0; i < connections.Count; i++)
        {
            hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(connections[i]));
        }
        return hash.ToHashCode();
    }

    private static bool Same<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, IEqualityComparer<T> equal)
    {
        // Consecutive sends to one room usually carry the very same list, or lists of the very same strings.
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
            if (!ReferenceEquals(a[i], b[i]) && !equal.Equals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The messages' bytes back to back, for each protocol the recipients speak.</summary>
    public static SerializedHubMessage Join(IReadOnlyList<SerializedHubMessage> messages, IReadOnlyList<LocalConnection> recipients)
    {
        var protocols = new List<IHubProtocol>(2);
        foreach (var connection in recipients)
        {
            if (!protocols.Contains(connection.Context.Protocol))
            {
                protocols.Add(connection.Context.Protocol);
            }
        }
        var joined = new SerializedMessage[protocols.Count];
        for (var p = 0; p < protocols.Count; p++)
        {
            var parts = messages.Select(m => m.GetSerializedMessage(protocols[p])).ToArray();
            var bytes = new byte[parts.Sum(part => part.Length)];
            var offset = 0;
            foreach (var part in parts)
            {
                part.Span.CopyTo(bytes.AsSpan(offset));
                offset += part.Length;
            }
            joined[p] = new SerializedMessage(protocols[p].Name, bytes);
        }
        return new SerializedHubMessage(joined);
    }
}
