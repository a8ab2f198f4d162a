namespace SignalRChat.Objects.Runtime;

/// <summary>The grain storage objects keep their state in: Redis in a cluster, memory in embedded mode.</summary>
public static class ObjectStorage
{
    /// <summary>The name of the storage provider.</summary>
    public const string Name = "objects";
}
