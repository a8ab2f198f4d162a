using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalRChat.Push.Internal;

namespace SignalRChat.Hub.Health;

/// <summary>Healthy while the backplane's Redis connection is up.</summary>
internal sealed class RedisHealthCheck(BackplaneHost backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane.Redis.IsConnected ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Redis is not connected."));
}
