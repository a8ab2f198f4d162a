using System.Text.Json;
using SignalRChat.Hub.Auth;
using SignalRChat.Objects.Notices;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Admin;

/// <summary>
/// What operators do over HTTP, with a token whose <c>role</c> claim is <c>admin</c> (401 without a valid token, 403
/// with another role): <c>POST /admin/players/{user}/messages</c> sends a system message, <c>POST /admin/announcements</c>
/// an announcement to every connected client; <c>POST /admin/users/{user}/revoke</c> revokes a user's tokens,
/// <c>POST /admin/tokens/{tokenId}/revoke</c> one token, and <c>POST /admin/users/{user}/disconnect</c> closes a user's
/// connections everywhere. Each is written to the audit log.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AuthHosting.AdminPolicy);
        admin.MapPost("/players/{user}/messages", async (string user, SystemMessageRequest? request, IGrainFactory grains, HttpContext http, ILoggerFactory logs) =>
        {
            if (SystemMessages.Problem(user, request?.Code, request?.Text, request?.Data, out _) is { } problem)
            {
                return Results.BadRequest(new AdminError(problem));
            }
            AuditLog.AdminAction(logs.CreateLogger(AuditLog.Category), Actor(http), $"sent system message {request!.Code} to {user}");
            var message = await SystemMessages.SendAsync(grains, user, request.Code!, request.Text!, request.Data);
            return Results.Ok(message);
        });
        admin.MapPost("/announcements", async (AnnouncementRequest? request, IGrainFactory grains, HttpContext http, ILoggerFactory logs) =>
        {
            if (Announcements.Problem(request?.Text, request?.Data, out _) is { } problem)
            {
                return Results.BadRequest(new AdminError(problem));
            }
            AuditLog.AdminAction(logs.CreateLogger(AuditLog.Category), Actor(http), "sent an announcement");
            return Results.Ok(await Announcements.SendAsync(grains, request!.Text!, request.Data));
        });
        admin.MapPost("/users/{user}/revoke", async (string user, Revocations revocations, HttpContext http, ILoggerFactory logs) =>
        {
            if (UserNames.Problem(user) is { } problem)
            {
                return Results.BadRequest(new AdminError(problem));
            }
            var closed = await revocations.RevokeUserAsync(user);
            AuditLog.UserRevoked(logs.CreateLogger(AuditLog.Category), Actor(http), user, closed);
            return Results.Ok(new RevocationResult($"Every token of {user} issued until now is revoked; their connections close on every instance."));
        });
        admin.MapPost("/tokens/{tokenId}/revoke", async (string tokenId, Revocations revocations, HttpContext http, ILoggerFactory logs) =>
        {
            if (tokenId.Length is 0 or > 128 || !tokenId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return Results.BadRequest(new AdminError("A token ID is 1-128 letters, digits, '-', '_' or '.'."));
            }
            var closed = await revocations.RevokeTokenAsync(tokenId);
            AuditLog.TokenRevoked(logs.CreateLogger(AuditLog.Category), Actor(http), tokenId, closed);
            return Results.Ok(new RevocationResult($"Token {tokenId} is revoked; its connections close on every instance."));
        });
        admin.MapPost("/users/{user}/disconnect", async (string user, Revocations revocations, HttpContext http, ILoggerFactory logs) =>
        {
            if (UserNames.Problem(user) is { } problem)
            {
                return Results.BadRequest(new AdminError(problem));
            }
            await revocations.DisconnectAsync(user);
            AuditLog.UserDisconnected(logs.CreateLogger(AuditLog.Category), Actor(http), user);
            return Results.Ok(new RevocationResult($"Every connection of {user} closes on every instance; their tokens stay valid."));
        });
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "an administrator";

    internal sealed record RevocationResult(string Result);

    internal sealed record SystemMessageRequest(string? Code, string? Text, JsonElement? Data);

    internal sealed record AnnouncementRequest(string? Text, JsonElement? Data);

    internal sealed record AdminError(string Error);
}
