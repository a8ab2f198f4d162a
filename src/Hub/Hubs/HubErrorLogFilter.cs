using Microsoft.AspNetCore.SignalR;
using SignalRChat.Hub.Logging;

namespace SignalRChat.Hub.Hubs;

/// <summary>
/// Logs hub method failures by what they are: a <see cref="HubException"/> is the caller's mistake, already explained
/// to the caller, so Debug; anything else is a server fault, so Error (at most one per 10 s, with the count of the ones
/// held back: whatever a client can trigger must not flood the log). (SignalR's own dispatcher log, which logs both
/// as errors, is turned off in appsettings.json.)
/// </summary>
internal sealed class HubErrorLogFilter(LogThrottles throttles, ILogger<HubErrorLogFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (HubException e)
        {
            HubLog.CallRefused(logger, context.HubMethodName, e.Message);
            throw;
        }
        catch (Exception e)
        {
            if (throttles.Allow(nameof(HubLog.MethodFailed), out var suppressed))
            {
                HubLog.MethodFailed(logger, e, context.HubMethodName, context.Context.ConnectionId, suppressed);
            }
            throw;
        }
    }
}
