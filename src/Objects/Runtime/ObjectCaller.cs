namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Who is calling an object. Set by the hub from the authenticated connection, or by the runtime for a call from
/// another object; an object never takes a user name from its args.
/// </summary>
/// <param name="User">The authenticated user name, when a client calls.</param>
/// <param name="ClientId">The calling client's ID (<c>{instanceId}/{connectionId}</c>), when a client calls.</param>
/// <param name="ObjectId">The calling object's ID, when an object calls.</param>
[GenerateSerializer, Immutable, Alias("SignalRChat.ObjectCaller")]
public sealed record ObjectCaller(
    [property: Id(0)] string? User,
    [property: Id(1)] string? ClientId,
    [property: Id(2)] string? ObjectId)
{
    /// <summary>The most objects one connection may be watched by (<c>WatchCallerDisconnect</c>): rooms and worlds joined.</summary>
    public const int MaxWatchedObjects = 1000;

    /// <summary>The calling connection is watched by <see cref="MaxWatchedObjects"/> other objects already: this one
    /// may not watch it too, so a join must refuse before it stores anything.</summary>
    [Id(3)] public bool WatchFull { get; init; }

    /// <summary>The user is an administrator (a <c>role</c> claim of <c>admin</c>): may moderate every room.</summary>
    [Id(4)] public bool IsAdmin { get; init; }

    /// <summary>A client connection acting for a user.</summary>
    public static ObjectCaller Client(string user, string clientId, bool watchFull = false, bool isAdmin = false) =>
        new(user, clientId, null) { WatchFull = watchFull, IsAdmin = isAdmin };

    /// <summary>Another object.</summary>
    public static ObjectCaller Object(string objectId) => new(null, null, objectId);
}
