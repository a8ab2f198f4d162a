namespace SignalRChat.Hub.Hubs;

/// <summary>What the client method <c>Registered</c> receives on connect.</summary>
internal sealed record Registration(string ClientId, string InstanceId, string User);
