using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Hub.Hubs;

/// <summary>
/// Logs hub method failures by what they are: a <see cref="HubException"/> is the caller's mistake, already explained
/// to the caller, so Debug; anything else is a server fault, so Error. (SignalR's own dispatcher log, which logs both
/// as errors, is turned off in appsettings.json.)
/// </summary>
internal sealed class HubErrorLogFilter(ILogger<HubErrorLogFilter> logger) : IHubFilter
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
            HubLog.MethodFailed(logger, e, context.HubMethodName, context.Context.ConnectionId);
            throw;
        }
    }
}
