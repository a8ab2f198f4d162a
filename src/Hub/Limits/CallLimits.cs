using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Limits;

/// <summary>
/// The rate limits of object calls on this instance (<see cref="RateLimitOptions"/>): every call of a connection, and
/// the named methods of each user. A refused call never reaches the object.
/// </summary>
internal sealed class CallLimits : IDisposable
{
    /// <summary>The method name that stands for <c>Create</c> in <see cref="RateLimitOptions.PerUser"/>.</summary>
    public const string CreateMethod = "Create";

    private readonly RateLimitOptions _options;
    private readonly LimitMetrics _metrics;
    private readonly PartitionedRateLimiter<Subject> _limiter;

    // The per-user rules by (type, method), with their "Type.Method" key: a call looks its rule up without building a string.
    private readonly Dictionary<(string Type, string Method), (string Key, RateRule Rule)> _perUser;

    public CallLimits(IOptions<RateLimitOptions> options, LimitMetrics metrics)
    {
        _options = options.Value;
        _metrics = metrics;
        _perUser = _options.PerUser.Where(r => !r.Value.IsOff)
            .ToDictionary(r => (r.Key.Split('.')[0], r.Key.Split('.')[1]), r => (r.Key, r.Value));
        _limiter = PartitionedRateLimiter.Create<Subject, Subject>(subject =>
            RateLimitPartition.GetTokenBucketLimiter(subject, s => TokenBuckets.Options(s.Rule.PerSecond, s.Rule.Burst)));
    }

    /// <summary>
    /// Counts a refused call of a connection (<paramref name="refusals"/> is its count of refusals in a row, kept by
    /// the caller); true when the connection should be closed for ignoring them (<see cref="RateLimitOptions.CloseAfterRefusals"/>).
    /// </summary>
    public bool ShouldClose(int refusals) => _options.CloseAfterRefusals > 0 && refusals >= _options.CloseAfterRefusals;

    /// <summary>Why a connection closed by <see cref="ShouldClose"/> was closed.</summary>
    public string CloseReason => ObjectErrors.RateLimitedMarker +
        $"This connection kept calling past its rate limits ({_options.CloseAfterRefusals} refusals in a row, {RateLimitOptions.Section}:CloseAfterRefusals) and was closed; wait for the time each refusal names before retrying.";

    /// <summary>The refusal of a call of <paramref name="type"/>.<paramref name="method"/> (or <see cref="CreateMethod"/>)
    /// by <paramref name="user"/> on <paramref name="connectionId"/>, or null when it may go ahead.</summary>
    public string? Refuse(string connectionId, string user, string type, string method)
    {
        if (!_options.Enabled)
        {
            return null;
        }
        var rule = _options.PerConnection;
        if (!rule.IsOff && Refused(new Subject(connectionId, "", rule)) is { } connectionWait)
        {
            _metrics.Refused($"{RateLimitOptions.Section}:PerConnection");
            return ObjectErrors.RateLimited(
                $"Too many calls on this connection: {rule.Describe()} ({RateLimitOptions.Section}:PerConnection).", connectionWait);
        }
        if (_perUser.TryGetValue((type, method), out var perUser) && Refused(new Subject(user, perUser.Key, perUser.Rule)) is { } userWait)
        {
            var (key, userRule) = perUser;
            _metrics.Refused($"{RateLimitOptions.Section}:PerUser:{key}");
            return ObjectErrors.RateLimited(
                $"Too many {key} calls by {user}: {userRule.Describe()} ({RateLimitOptions.Section}:PerUser:{key}).", userWait);
        }
        return null;
    }

    private TimeSpan? Refused(Subject subject)
    {
        using var lease = _limiter.AttemptAcquire(subject);
        return lease.IsAcquired ? null : TokenBuckets.RetryAfter(lease);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>Whose calls a bucket counts: a connection (no key) or a user's calls of one method.</summary>
    private sealed record Subject(string Name, string Key, RateRule Rule)
    {
        public bool Equals(Subject? other) => other is not null && other.Name == Name && other.Key == Key;

        public override int GetHashCode() => HashCode.Combine(Name, Key);
    }
}
