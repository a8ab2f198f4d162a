using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using SignalRChat.Hub.Hosting;

namespace SignalRChat.Hub.Cluster;

/// <summary>
/// Sends a negotiating client to another instance when <see cref="LoadBalancer"/> says so, with SignalR's negotiate
/// redirect: the reply <c>{"url": "{other}/hub", "accessToken": "{the client's token}"}</c>, which the official
/// clients follow. Only authenticated negotiations are redirected (the token goes with them); clients that skip
/// negotiation (WebSockets only) always stay where they connected. The redirect URL carries <c>?balanced=1</c>, and
/// an instance does not send such a client on again unless it is draining: loads are seconds old, and two instances
/// that each think the other less loaded would otherwise bounce clients between them.
/// </summary>
internal static class NegotiateRedirect
{
    private const string BalancedMarker = "balanced";

    public static void UseNegotiateRedirect(this WebApplication app, string hubPath)
    {
        var balancer = app.Services.GetRequiredService<LoadBalancer>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NegotiateRedirect));
        var negotiate = $"{hubPath}/negotiate";
        var drain = app.Services.GetRequiredService<InstanceDrain>();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(negotiate, StringComparison.OrdinalIgnoreCase)
                && (drain.IsDraining || !context.Request.Query.ContainsKey(BalancedMarker))
                // The token authentication validated (the header's or the query's), to hand on to the other instance.
                && await context.GetTokenAsync("access_token") is { } token
                && balancer.ChooseElsewhere() is { Url: { } url } target)
            {
                ClusterLog.Redirected(logger, context.User.Identity?.Name ?? "", target.InstanceId, url);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { url = $"{url}{hubPath}?{BalancedMarker}=1", accessToken = token }));
                return;
            }
            await next(context);
        });
    }
}
