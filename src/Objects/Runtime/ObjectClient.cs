namespace SignalRChat.Objects.Runtime;

/// <summary>
/// The generic entry points into the objects: <c>CallObject</c> and <c>CreateObject</c>, used by the hub and, through
/// <see cref="ObjectGrain"/>, by objects. Validates the object ID, type and method before any activation.
/// </summary>
public sealed class ObjectClient(IGrainFactory grains, ObjectCatalog catalog)
{
    /// <summary>The registered object types.</summary>
    public ObjectCatalog Catalog => catalog;

    /// <summary>Calls <paramref name="method"/> on the object with UTF-8 JSON args (empty for none).</summary>
    public async Task<ObjectResult> CallAsync(string objectId, string method, ReadOnlyMemory<byte> args, ObjectCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            var id = Resolve(objectId, method);
            return await Grain(id).Call(method, args.ToArray(), caller);
        }
        catch (ObjectCallException e)
        {
            return ObjectResult.Failed(e.Message);
        }
    }

    /// <summary>Creates the object of <paramref name="type"/> at <paramref name="objectId"/>, running its create method.</summary>
    public async Task<ObjectResult> CreateAsync(string type, string objectId, ReadOnlyMemory<byte> args, ObjectCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            return await Grain(ResolveCreate(type, objectId)).Create(args.ToArray(), caller);
        }
        catch (ObjectCallException e)
        {
            return ObjectResult.Failed(e.Message);
        }
    }

    /// <summary>Checks that the object ID is valid and that its type has the method.</summary>
    /// <exception cref="ObjectCallException">It does not; the message says what is wrong.</exception>
    public ObjectId Resolve(string objectId, string method)
    {
        var id = ObjectId.Parse(objectId);
        catalog.GetType(id.Type).GetMethod(method ?? "");
        return id;
    }

    /// <summary>Checks that the type exists and that the object ID is a valid ID of that type.</summary>
    /// <exception cref="ObjectCallException">It is not; the message says what is wrong.</exception>
    public ObjectId ResolveCreate(string type, string objectId)
    {
        var info = catalog.GetType(type ?? "");
        var id = ObjectId.Parse(objectId);
        return id.Type == info.Name ? id : throw new ObjectCallException(ObjectErrors.TypeMismatch(info.Name, id));
    }

    /// <summary>Tells an object that a client it watches has disconnected.</summary>
    public Task NotifyDisconnectedAsync(string objectId, string clientId) =>
        Grain(ObjectId.Parse(objectId)).ClientDisconnected(clientId);

    private IObjectGrain Grain(ObjectId id) => grains.GetGrain<IObjectGrain>(id.ToGrainId());
}
