namespace SignalRChat.Hub.Cluster;

/// <summary>
/// One hub instance's load at a moment: published by the instance in the cluster's Redis every
/// <see cref="InstanceLoads.SampleInterval"/>, listed by <c>GET /cluster</c>, and read to send clients to the
/// least-loaded instance.
/// </summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Url">Where clients reach it (<c>Cluster:PublicUrl</c>); null when it has none.</param>
/// <param name="Status"><c>ready</c>, or <c>draining</c> while it stops.</param>
/// <param name="Connections">Connections it holds.</param>
/// <param name="DeliveriesPerSecond">Messages handed to its connections per second since the sample before.</param>
/// <param name="PushP99Ms">The 99th percentile of its push latency since the sample before, in milliseconds; null when
/// it delivered nothing.</param>
/// <param name="CpuPercent">The process's CPU use since the sample before, in percent of all the machine's cores.</param>
/// <param name="MemoryBytes">The process's working set.</param>
/// <param name="At">When the sample was taken (Unix milliseconds, the instance's clock).</param>
/// <param name="StartedAt">When the instance started (Unix milliseconds).</param>
public sealed record InstanceLoad(string InstanceId, string? Url, string Status, int Connections, double DeliveriesPerSecond,
    double? PushP99Ms, double CpuPercent, long MemoryBytes, long At, long StartedAt)
{
    /// <summary>The status of an instance that takes clients.</summary>
    public const string Ready = "ready";

    /// <summary>The status of an instance that is stopping.</summary>
    public const string Draining = "draining";

    /// <summary>Samples of the last minutes, oldest first; only in <c>GET /cluster?history=true</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<InstanceLoad>? History { get; init; }
}
