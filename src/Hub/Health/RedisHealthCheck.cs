using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace SignalRChat.Hub.Health;

/// <summary>Healthy while the backplane's Redis connection is up.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Redis is not connected."));
}
