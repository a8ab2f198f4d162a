using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SignalRChat.Push;

namespace SignalRChat.Load.Server;

/// <summary>
/// The hub the benchmark's crowd connects to, beside the product's own hub: a plain user hub, as a team would write
/// one. With ours it runs on the cluster backplane through the same registration as every hub of the process; in the
/// stock modes it runs on SignalR's Redis backplane. On connect it tells the client the ID to send to.
/// </summary>
[Authorize]
internal sealed class BenchHub(BenchBackplane backplane) : Microsoft.AspNetCore.SignalR.Hub
{
    /// <summary>Under <c>/hub</c>, where the hub's token rules (the token in the query string for WebSockets) apply.</summary>
    public const string Path = "/hub/bench";

    public override Task OnConnectedAsync() =>
        Clients.Caller.SendAsync("Registered", new Dictionary<string, string>
        {
            // Ours routes by client ID; SignalR's own backplane knows only plain connection IDs.
            ["clientId"] = backplane.Stock ? Context.ConnectionId : Context.GetClientId(),
        });
}

/// <summary>Which backplane the bench hub runs on in this process (<c>Bench:Stock</c>).</summary>
internal sealed record BenchBackplane(bool Stock);
