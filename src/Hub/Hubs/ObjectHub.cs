using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Access;
using SignalRChat.Hub.Auth;
using SignalRChat.Hub.Limits;
using SignalRChat.Hub.Logging;
using SignalRChat.Hub.Metrics;
using SignalRChat.Hub.Presence;
using SignalRChat.Hub.Wire;
using SignalRChat.Objects.Notices;
using SignalRChat.Objects.Runtime;
using SignalRChat.Push;

namespace SignalRChat.Hub.Hubs;

/// <summary>
/// The hub at <c>/hub</c>. Thin by design: it authenticates, applies the access rules, forwards generic object calls
/// with the caller's identity, tells objects about disconnects they asked to hear of, and tells the user's player
/// (presence) about connections and activity. Objects own all domain logic.
/// </summary>
[Authorize]
internal sealed class ObjectHub(ObjectClient objects, AccessRules access, CallLimits limits, LimitMetrics metrics, HubMetrics calls,
    ClusterInstances instances, PresenceReporter presence, IGrainFactory grains, IOptions<ObjectCallOptions> options, LogThrottles throttles,
    ILogger<ObjectHub> logger)
    : Microsoft.AspNetCore.SignalR.Hub
{
    /// <summary>The client method invoked on connect with <see cref="Registration"/>.</summary>
    public const string RegisteredMethod = "Registered";

    private static readonly TimeSpan DisconnectNoticeTimeout = TimeSpan.FromSeconds(10);

    private string ClientId => Context.GetClientId();

    // Made once in OnConnectedAsync, before any call or the disconnect can race to make it.
    private WatchedObjects Watched => (WatchedObjects)Context.Items[typeof(WatchedObjects)]!;

    private ActivityClock Activity => (ActivityClock)Context.Items[typeof(ActivityClock)]!;

    /// <inheritdoc/>
    public override async Task OnConnectedAsync()
    {
        Context.Items[typeof(WatchedObjects)] = new WatchedObjects();
        Context.Items[typeof(ActivityClock)] = new ActivityClock();
        Context.Items[typeof(RefusalCount)] = new RefusalCount();
        // Online before the client hears it is registered.
        if (!await presence.ConnectedAsync(UserName(), ClientId, Refusal(UserName(), Context.ConnectionId), Context.ConnectionAborted))
        {
            return;
        }
        using (PushPriorities.Use(Push.PushPriority.System))
        {
            await Clients.Caller.SendAsync(RegisteredMethod, WireValue.From(new Registration(ClientId, instances.LocalInstanceId, UserName())));
        }
        // Not awaited: SignalR runs none of the client's calls until this method returns, and the board's silo may be
        // slow or gone (then the client's calls would wait for it to be declared dead).
        _ = ReplayAnnouncementsAsync(Clients.Caller);
    }

    /// <summary>
    /// Closes a connection the user's player refused (the user's connection quota), with the reason. A client's doing,
    /// not a server fault, so it is logged as a refusal, not thrown as an error. Captures no hub: the refusal may come
    /// from a retried notice, after this hub object is gone.
    /// </summary>
    private Action<string> Refusal(string user, string connectionId)
    {
        var (limitMetrics, logThrottles, hubLogger, cluster) = (metrics, throttles, logger, instances);
        return refusal =>
        {
            limitMetrics.Refused("Quotas:ConnectionsPerUser");
            if (logThrottles.Allow(nameof(HubLog.ConnectionRefused), out var suppressed))
            {
                HubLog.ConnectionRefused(hubLogger, user, refusal, suppressed);
            }
            cluster.CloseLocalConnections(connection => connection.ConnectionId == connectionId, refusal);
        };
    }

    /// <summary>
    /// Sends the recent announcements to the new connection, within the call timeout. Asked after the connection is
    /// registered, so one made meanwhile reaches it by push or here (possibly both: clients drop an <c>id</c> they
    /// have seen).
    /// </summary>
    private async Task ReplayAnnouncementsAsync(IClientProxy caller)
    {
        try
        {
            foreach (var announcement in await Announcements.RecentAsync(grains).WaitAsync(options.Value.CallTimeout))
            {
                using (PushPriorities.Use(Push.PushPriority.System))
                {
                    await caller.SendAsync(AnnouncementBoard.AnnouncementMethod, WireValue.From(announcement));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            HubLog.ReplayFailed(logger, e.Message);
        }
    }

    /// <summary>Calls <paramref name="method"/> of <paramref name="objectId"/> with <paramref name="args"/> (an object, or null) and returns its result.</summary>
    public async Task<object?> Call(string objectId, string method, object? args)
    {
        var id = Check(() => objects.Resolve(objectId, method));
        return await CountedAsync(id.Type, method, async () =>
        {
            Refuse(access.RefuseCall(id.Type, method));
            RefuseOverLimits(limits.Refuse(Context.ConnectionId, UserName(), id.Type, method));
            presence.Active(UserName(), objectId, Activity);
            var json = ArgsJson(id.Type, method, args);
            var result = await RunAsync($"{id.Type}.{method}", objectId, () => objects.CallAsync(objectId, method, json, Caller(objectId)));
            return await CompleteAsync(objectId, result);
        });
    }

    /// <summary>Creates <paramref name="objectId"/> of <paramref name="type"/> with <paramref name="args"/>; fails when it exists.</summary>
    public async Task<object?> Create(string type, string objectId, object? args)
    {
        var id = Check(() => objects.ResolveCreate(type, objectId));
        return await CountedAsync(id.Type, CallLimits.CreateMethod, async () =>
        {
            Refuse(access.RefuseCreate(id.Type));
            RefuseOverLimits(limits.Refuse(Context.ConnectionId, UserName(), id.Type, CallLimits.CreateMethod));
            presence.Active(UserName(), objectId, Activity);
            var json = ArgsJson(id.Type, "create", args);
            var result = await RunAsync($"{id.Type} create", objectId, () => objects.CreateAsync(type, objectId, json, Caller(objectId)));
            return await CompleteAsync(objectId, result);
        });
    }

    /// <summary>Runs a call of a known type and method, counting it by its result.</summary>
    private async Task<object?> CountedAsync(string type, string method, Func<Task<object?>> call)
    {
        try
        {
            var result = await call();
            calls.Called(type, method, HubMetrics.Ok);
            return result;
        }
        catch (HubException)
        {
            calls.Called(type, method, HubMetrics.Failed);
            throw;
        }
    }

    /// <inheritdoc/>
    public override Task OnDisconnectedAsync(Exception? exception) =>
        Task.WhenAll(Watched.Close().Select(NotifyDisconnectedAsync).Append(presence.DisconnectedAsync(UserName(), ClientId)));

    private string UserName() => Context.User?.Identity?.Name ?? throw new HubException("The connection has no user name.");

    private ObjectCaller Caller(string objectId) =>
        ObjectCaller.Client(UserName(), ClientId, watchFull: !Watched.MayAdd(objectId), isAdmin: Context.User?.IsInRole(TokenIssuer.AdminRole) == true);

    private static ObjectId Check(Func<ObjectId> resolve)
    {
        try
        {
            return resolve();
        }
        catch (ObjectCallException e)
        {
            throw new HubException(e.Message);
        }
    }

    /// <summary>Refuses a call over the rate limits, and closes a connection that keeps calling past them.</summary>
    private void RefuseOverLimits(string? refusal)
    {
        var counter = (RefusalCount)Context.Items[typeof(RefusalCount)]!;
        if (refusal is null)
        {
            counter.InARow = 0;
            return;
        }
        if (limits.ShouldClose(++counter.InARow))
        {
            metrics.Refused($"{RateLimitOptions.Section}:CloseAfterRefusals");
            var connectionId = Context.ConnectionId;
            instances.CloseLocalConnections(connection => connection.ConnectionId == connectionId, limits.CloseReason);
        }
        throw new HubException(refusal);
    }

    private static void Refuse(string? refusal)
    {
        if (refusal is not null)
        {
            throw new HubException(refusal);
        }
    }

    private static byte[] ArgsJson(string type, string method, object? args)
    {
        try
        {
            return WireValue.ToJson(args);
        }
        catch (FormatException e)
        {
            throw new HubException($"Invalid args for {type}.{method}: {e.Message}");
        }
    }

    /// <summary>Runs an object call for the client, bounded by <see cref="ObjectCallOptions.CallTimeout"/>; runtime
    /// failures and timeouts reach the client as temporary errors.</summary>
    private async Task<ObjectResult> RunAsync(string operation, string objectId, Func<Task<ObjectResult>> call)
    {
        var timeout = options.Value.CallTimeout;
        try
        {
            return await call().WaitAsync(timeout);
        }
        catch (Exception e)
        {
            // The object may have taken the client in (or may still): make sure it hears of the disconnect.
            if (Watched.Add(objectId) == WatchResult.Closed)
            {
                await NotifyDisconnectedAsync(objectId);
            }
            if (e is TimeoutException)
            {
                HubLog.CallTimedOut(logger, operation, objectId, timeout);
                throw new HubException(ObjectErrors.Temporary(
                    $"{operation} on {objectId} did not complete within {timeout.TotalSeconds:0.#} s; whether it took effect is unknown: retry (with the same clientMessageId)."));
            }
            if (throttles.Allow(nameof(HubLog.RuntimeFailed), out var suppressed))
            {
                HubLog.RuntimeFailed(logger, e, operation, objectId, suppressed);
            }
            throw new HubException(ObjectErrors.Temporary(
                $"{operation} on {objectId} did not complete: the object runtime is unavailable; whether it took effect is unknown: retry (with the same clientMessageId)."));
        }
    }

    private async Task<object?> CompleteAsync(string objectId, ObjectResult result)
    {
        if (result.Error is { } error)
        {
            throw new HubException(error);
        }
        switch (result.Watch)
        {
            case DisconnectWatch.Start:
                switch (Watched.Add(objectId))
                {
                    case WatchResult.Closed:
                        // The client disconnected while the call ran: the disconnect could not tell this object.
                        await NotifyDisconnectedAsync(objectId);
                        break;
                    case WatchResult.Full:
                        // Joined by concurrent calls since the object was told it may watch.
                        HubLog.WatchLimitReached(logger, ClientId, ObjectCaller.MaxWatchedObjects, objectId);
                        await NotifyDisconnectedAsync(objectId);
                        throw new HubException(ObjectErrors.WatchLimit(ObjectId.Parse(objectId)));
                }
                break;
            case DisconnectWatch.Stop:
                Watched.Remove(objectId);
                break;
        }
        return WireValue.FromJson(result.Json);
    }

    /// <summary>Tells the object this connection is gone; failures are logged, never thrown.</summary>
    private async Task NotifyDisconnectedAsync(string objectId)
    {
        var clientId = ClientId;
        try
        {
            await objects.NotifyDisconnectedAsync(objectId, clientId).WaitAsync(DisconnectNoticeTimeout);
        }
        catch (Exception e)
        {
            if (throttles.Allow(nameof(HubLog.DisconnectNoticeFailed), out var suppressed))
            {
                HubLog.DisconnectNoticeFailed(logger, objectId, clientId, $"{e.GetType().Name}: {e.Message}", suppressed);
            }
        }
    }
}
