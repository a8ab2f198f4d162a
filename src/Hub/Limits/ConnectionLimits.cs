using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Limits;

/// <summary>
/// Limits new connections to the hub per IP address and per user with ASP.NET Core's rate limiting middleware. A new
/// connection is a negotiation (<c>/hub/negotiate</c>) or a request to <c>/hub</c> without a connection token (a
/// WebSocket that skips negotiation); a connection's later requests (long polling, server-sent events' sends) are not
/// counted. Refusals are answered 429 with <c>Retry-After</c> and a <c>[rate-limited]</c> text.
/// </summary>
internal static class ConnectionLimits
{
    public static IServiceCollection AddConnectionLimits(this IServiceCollection services, string hubPath) =>
        services.AddRateLimiter(_ => { }).AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>, LimitMetrics>((limiter, limits, metrics) =>
            {
                var perAddress = limits.Value.Enabled ? limits.Value.ConnectionsPerAddress : new RateRule();
                var perUser = limits.Value.Enabled ? limits.Value.ConnectionsPerUser : new RateRule();
                limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                    NewConnections(hubPath, perAddress, context => Address(context)),
                    NewConnections(hubPath, perUser, context => context.User.Identity?.Name));
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.OnRejected = async (rejected, cancellationToken) =>
                {
                    metrics.Refused($"{RateLimitOptions.Section}:Connections");
                    var retryAfter = TokenBuckets.RetryAfter(rejected.Lease);
                    rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    await rejected.HttpContext.Response.WriteAsync(ObjectErrors.RateLimited(
                        $"Too many new connections from {Address(rejected.HttpContext)} or its user: {perAddress.Describe()} per address ({RateLimitOptions.Section}:ConnectionsPerAddress), {perUser.Describe()} per user ({RateLimitOptions.Section}:ConnectionsPerUser).",
                        retryAfter), cancellationToken);
                };
            }).Services;

    /// <summary>A bucket per <paramref name="subject"/> (an address, a user; null: not limited) for new connections.</summary>
    private static PartitionedRateLimiter<HttpContext> NewConnections(string hubPath, RateRule rule, Func<HttpContext, string?> subject) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            !rule.IsOff && IsNewConnection(context, hubPath) && subject(context) is { } key
                ? RateLimitPartition.GetTokenBucketLimiter(key, _ => TokenBuckets.Options(rule.PerSecond, rule.Burst))
                : RateLimitPartition.GetNoLimiter(""));

    private static bool IsNewConnection(HttpContext context, string hubPath) =>
        context.Request.Path.StartsWithSegments(hubPath, out var rest)
        && (rest == "/negotiate" || (!rest.HasValue && !context.Request.Query.ContainsKey("id")));

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
}
