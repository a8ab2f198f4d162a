using System.Text.Json;
using SignalRChat.Hub.Auth;
using SignalRChat.Objects.Notices;

namespace SignalRChat.Hub.Admin;

/// <summary>
/// What operators do over HTTP, with a token whose <c>role</c> claim is <c>admin</c> (401 without a valid token, 403
/// with another role): <c>POST /admin/players/{user}/messages</c> sends a system message, <c>POST /admin/announcements</c>
/// an announcement to every connected client.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AuthHosting.AdminPolicy);
        admin.MapPost("/players/{user}/messages", async (string user, SystemMessageRequest? request, IGrainFactory grains) =>
        {
            if (SystemMessages.Problem(user, request?.Code, request?.Text, request?.Data, out _) is { } problem)
            {
                return Results.BadRequest(new AdminError(problem));
            }
            var message = await SystemMessages.SendAsync(grains, user, request!.Code!, request.Text!, request.Data);
            return Results.Ok(message);
        });
        admin.MapPost("/announcements", async (AnnouncementRequest? request, IGrainFactory grains) =>
            Announcements.Problem(request?.Text, request?.Data, out _) is { } problem
                ? Results.BadRequest(new AdminError(problem))
                : Results.Ok(await Announcements.SendAsync(grains, request!.Text!, request.Data)));
    }

    internal sealed record SystemMessageRequest(string? Code, string? Text, JsonElement? Data);

    internal sealed record AnnouncementRequest(string? Text, JsonElement? Data);

    internal sealed record AdminError(string Error);
}
