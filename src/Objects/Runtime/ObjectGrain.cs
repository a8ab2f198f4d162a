using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Base class of every object. Dispatches generic calls to the <see cref="ObjectMethodAttribute"/> methods of the
/// derived class with typed args, and turns failures into caller-facing results. Derive, add
/// <see cref="ObjectTypeAttribute"/>, and keep state in an Orleans <c>IPersistentState</c>.
/// </summary>
public abstract class ObjectGrain : Grain, IObjectGrain
{
    // Per call, not per object: calls of a [Reentrant] object interleave at their awaits, and each must keep its own
    // caller. A timer started during a call inherits the context, finished, so it sees no caller.
    private readonly AsyncLocal<CallContext?> _call = new();
    private ObjectTypeInfo? _type;
    private ObjectId? _id;

    /// <summary>This object's ID.</summary>
    protected ObjectId Id => _id ??= ObjectId.Create(Type.Name, this.GetPrimaryKeyString());

    /// <summary>Who is making the current call. Only valid while a call runs.</summary>
    protected ObjectCaller Caller => CurrentCaller ?? throw new InvalidOperationException("The caller is known only while a call runs.");

    /// <summary>Who is making the current call; null outside calls (timers, internal notices).</summary>
    protected ObjectCaller? CurrentCaller => _call.Value is { Finished: false } call ? call.Caller : null;

    /// <summary>The calling user's name; refuses callers that are not users (other objects).</summary>
    /// <exception cref="ObjectCallException">The caller is not a user; the message names <paramref name="action"/>.</exception>
    protected string RequireUser(string action) =>
        CurrentCaller?.User ?? throw new ObjectCallException($"Only a user can {action} in {Id}.");

    /// <summary>Whether the object has stored state: <c>CreateObject</c> refuses to create it again.</summary>
    protected abstract bool Exists { get; }

    private ObjectTypeInfo Type => _type ??= ServiceProvider.GetRequiredService<ObjectCatalog>().ForClass(GetType());

    /// <summary>Asks the calling client's hub to tell this object when that client disconnects; refuses (throws) when
    /// the connection is watched by as many objects as it may be, so call it before storing anything.</summary>
    protected void WatchCallerDisconnect()
    {
        if (Caller.WatchFull)
        {
            throw new ObjectCallException(ObjectErrors.WatchLimit(Id));
        }
        CurrentCall.Watch = DisconnectWatch.Start;
    }

    /// <summary>Stops the notice asked for by <see cref="WatchCallerDisconnect"/>.</summary>
    protected void UnwatchCallerDisconnect() => CurrentCall.Watch = DisconnectWatch.Stop;

    private CallContext CurrentCall => _call.Value is { Finished: false } call ? call
        : throw new InvalidOperationException("Disconnect notices can be asked for only while a call runs.");

    /// <summary>Runs when a watched client disconnected. Runs as a normal turn of this object.</summary>
    protected virtual Task OnClientDisconnectedAsync(string clientId) => Task.CompletedTask;

    /// <summary>Calls a method of another object, as this object.</summary>
    /// <exception cref="ObjectCallException">The call failed; the message says why.</exception>
    protected async Task<JsonElement> CallObjectAsync(string objectId, string method, object? args = null)
    {
        var client = ServiceProvider.GetRequiredService<ObjectClient>();
        var result = await client.CallAsync(objectId, method, ToJson(args), ObjectCaller.Object(Id.ToString()));
        return Unwrap(result);
    }

    /// <summary>Creates another object, as this object.</summary>
    /// <exception cref="ObjectCallException">The create failed; the message says why.</exception>
    protected async Task<JsonElement> CreateObjectAsync(string type, string objectId, object? args = null)
    {
        var client = ServiceProvider.GetRequiredService<ObjectClient>();
        var result = await client.CreateAsync(type, objectId, ToJson(args), ObjectCaller.Object(Id.ToString()));
        return Unwrap(result);
    }

    /// <summary>A typed reference to another object, for the internal notices objects send each other.</summary>
    protected T ObjectOf<T>(ObjectId id) where T : IObjectGrain => GrainFactory.GetGrain<T>(id.ToGrainId());

    Task<ObjectResult> IObjectGrain.Call(string method, byte[] args, ObjectCaller caller) =>
        RunAsync(method, () => Type.GetMethod(method), args, caller);

    Task<ObjectResult> IObjectGrain.Create(byte[] args, ObjectCaller caller) =>
        Exists
            ? Task.FromResult(ObjectResult.Failed(ObjectErrors.AlreadyExists(Id)))
            : RunAsync("create", () => Type.CreateMethod ?? throw new ObjectCallException($"{Type.Name} objects cannot be created explicitly; call their methods instead."), args, caller);

    Task IObjectGrain.ClientDisconnected(string clientId) => OnClientDisconnectedAsync(clientId);

    private async Task<ObjectResult> RunAsync(string methodName, Func<ObjectMethod> findMethod, byte[] args, ObjectCaller caller)
    {
        var call = new CallContext(caller);
        _call.Value = call;
        try
        {
            var method = findMethod();
            var bound = method.BindArgs(args);
            var result = await method.InvokeAsync(this, bound);
            return new ObjectResult(result is null ? null : JsonSerializer.SerializeToUtf8Bytes(result, ObjectJson.Options), null, call.Watch);
        }
        catch (ObjectCallException e)
        {
            return ObjectResult.Failed(e.Message);
        }
        catch (Exception e)
        {
            ObjectsLog.CallFailed(ServiceProvider.GetRequiredService<ILogger<ObjectGrain>>(), e, Id.ToString(), methodName);
            return ObjectResult.Failed(ObjectErrors.Internal(Type.Name, methodName));
        }
        finally
        {
            call.Finished = true;
        }
    }

    private static byte[] ToJson(object? args) =>
        args is null ? [] : JsonSerializer.SerializeToUtf8Bytes(args, ObjectJson.Options);

    private static JsonElement Unwrap(ObjectResult result) =>
        result.Error is { } error ? throw new ObjectCallException(error)
        : result.Json is null ? default
        : JsonDocument.Parse(result.Json).RootElement.Clone();

    private sealed class CallContext(ObjectCaller caller)
    {
        public ObjectCaller Caller { get; } = caller;

        public DisconnectWatch Watch { get; set; }

        public bool Finished { get; set; }
    }
}
