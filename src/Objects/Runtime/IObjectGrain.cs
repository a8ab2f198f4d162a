namespace SignalRChat.Objects.Runtime;

/// <summary>The grain interface every object implements through <see cref="ObjectGrain"/>: generic call, create and disconnect notice.</summary>
[Alias("SignalRChat.IObjectGrain")]
public interface IObjectGrain : IGrainWithStringKey
{
    /// <summary>Calls a method with UTF-8 JSON args (empty for none).</summary>
    [Alias("Call")]
    Task<ObjectResult> Call(string method, byte[] args, ObjectCaller caller);

    /// <summary>Creates the object, running its create method; fails when it already exists.</summary>
    [Alias("Create")]
    Task<ObjectResult> Create(byte[] args, ObjectCaller caller);

    /// <summary>Tells the object that a client it asked to watch has disconnected.</summary>
    [Alias("ClientDisconnected")]
    Task ClientDisconnected(string clientId);
}
