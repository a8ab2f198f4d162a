using System.Security.Cryptography;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Hub.Logging;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Security;

/// <summary>
/// Stamps every outgoing grain call with the cluster secret (<see cref="ClusterOptions.Secret"/>), and on silos refuses
/// calls to our objects that arrive without it: an Orleans client that reaches the gateway port but is not one of our
/// processes cannot join a room as "alice" or forge a disconnect notice.
/// </summary>
/// <remarks>
/// What it does not do: the secret travels in clear text in each call's request context, so anyone who can read the
/// traffic between our processes can learn it (keep the silo and gateway ports on a private network); Orleans' own
/// system grains are not covered.
/// </remarks>
internal sealed class ClusterSecretFilter(IOptions<ClusterOptions> cluster, LogThrottles throttles, ILogger<ClusterSecretFilter> logger)
    : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    /// <summary>The request context key the secret travels under.</summary>
    public const string Key = "signalrchat-secret";

    private static readonly System.Reflection.Assembly Objects = typeof(IObjectGrain).Assembly;

    private readonly string _secret = cluster.Value.Secret!;

    /// <inheritdoc/>
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        RequestContext.Set(Key, _secret);
        return context.Invoke();
    }

    /// <inheritdoc/>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType?.Assembly != Objects || Holds(RequestContext.Get(Key) as string))
        {
            return context.Invoke();
        }
        if (throttles.Allow(nameof(SecurityLog.CallWithoutSecret), out var suppressed))
        {
            SecurityLog.CallWithoutSecret(logger, context.InterfaceName, context.MethodName, suppressed);
        }
        throw new UnauthorizedAccessException("Refused: the call did not carry this cluster's secret (Cluster:Secret).");
    }

    // On every grain call: compared in constant time, without allocating.
    private bool Holds(string? secret) =>
        secret is not null && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(secret.AsSpan()), MemoryMarshal.AsBytes(_secret.AsSpan()));
}
