namespace SignalRChat.Hub.Hosting;

/// <summary>What a process runs.</summary>
public enum ClusterRole
{
    /// <summary>The hub endpoint and an Orleans silo hosting the objects, in one process. The default.</summary>
    All,

    /// <summary>Only the hub endpoint; objects run on other processes (role <see cref="Objects"/> or <see cref="All"/>). Needs Redis.</summary>
    Hub,

    /// <summary>Only an Orleans silo hosting the objects; pushes reach clients through the backplane. Needs Redis.</summary>
    Objects,
}
