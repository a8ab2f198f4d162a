using Orleans.Runtime;
using SignalRChat.Hub.Logging;

namespace SignalRChat.Hub.Cluster;

/// <summary>How many objects (grain activations) of each of our types the cluster holds, read from Orleans' management
/// grain at most every <see cref="MaxAge"/>.</summary>
internal sealed class GrainCounts(IGrainFactory grains, LogThrottles throttles, ILogger<GrainCounts> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _reading = new(1, 1);
    private IReadOnlyDictionary<string, int> _counts = new Dictionary<string, int>();
    private long? _readAt;

    public async Task<IReadOnlyDictionary<string, int>> ReadAsync()
    {
        if (IsFresh)
        {
            return _counts;
        }
        await _reading.WaitAsync();
        try
        {
            if (!IsFresh)
            {
                var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics().WaitAsync(Timeout);
                _counts = statistics
                    .Where(s => s.GrainType.StartsWith("SignalRChat.", StringComparison.Ordinal))
                    .GroupBy(s => ShortName(s.GrainType))
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
                _readAt = Environment.TickCount64;
            }
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // Every open cluster page asks every 2 s: once per throttle window is enough.
            if (throttles.Allow(nameof(ClusterLog.GrainCountFailed), out var suppressed))
            {
                ClusterLog.GrainCountFailed(logger, e.Message, suppressed);
            }
        }
        finally
        {
            _reading.Release();
        }
        return _counts;
    }

    private bool IsFresh => Environment.TickCount64 - _readAt < MaxAge.TotalMilliseconds;

    /// <summary><c>SignalRChat.Objects.Chat.ChatRoom,SignalRChat.Objects</c> reads <c>ChatRoom</c>.</summary>
    private static string ShortName(string grainType)
    {
        var type = grainType.Split(',')[0];
        return type[(type.LastIndexOf('.') + 1)..];
    }
}
