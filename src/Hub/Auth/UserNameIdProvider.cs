using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Hub.Auth;

/// <summary>Makes the token's user name the SignalR user ID, so <c>Clients.User(name)</c> reaches all of a user's connections.</summary>
internal sealed class UserNameIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => connection.User.FindFirst(TokenIssuer.UserClaim)?.Value;
}
