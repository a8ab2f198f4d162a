using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

/// <summary>One connection of this instance, with what the writer tracks to tell a slow client from a busy one.</summary>
internal sealed class LocalConnection(HubConnectionContext context, string clientId)
{
    public HubConnectionContext Context { get; } = context;

    /// <summary>The routable address, <c>{instanceId}/{connectionId}</c>.</summary>
    public string ClientId { get; } = clientId;

    /// <summary>The groups the connection is in; guarded by <see cref="HubConnections"/>.</summary>
    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>The writes queued behind the one in flight; made by the hub's <see cref="ConnectionWriter"/> at its first write.</summary>
    public ConnectionBacklog? Backlog;

    /// <summary>Bytes handed to the connection or queued on it whose writes have not completed.</summary>
    public long PendingBytes;

    /// <summary><see cref="Environment.TickCount64"/> when a write last completed, or when writes began to wait.</summary>
    public long LastProgress;

    /// <summary>Its slot in <see cref="KeepAlivePings"/>; -1: none (its transport keeps itself alive).</summary>
    public int KeepAliveSlot = -1;

    /// <summary>1 once the writer disconnected the client as slow.</summary>
    public int Aborted;

    /// <summary>1 once the connection was asked to close so its client reconnects elsewhere.</summary>
    public int CloseRequested;
}
