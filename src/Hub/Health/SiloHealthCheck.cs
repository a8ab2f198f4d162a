using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace SignalRChat.Hub.Health;

/// <summary>Healthy while this process's Orleans silo is active in the cluster.</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The silo is {silo.CurrentStatus}."));
}
