using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;

namespace SignalRChat.Hub.Cluster;

/// <summary>
/// The web origins of the cluster: every public URL its instances had (<see cref="InstanceLoads.KnownUrls"/>; gone
/// ones too) and <see cref="ClusterOptions.AllowedOrigins"/>. Pages from these origins may call any instance (CORS),
/// and the web client may connect to any of them (its Content-Security-Policy), so a page can move to another
/// instance when the one that served it is gone.
/// </summary>
internal sealed class ClusterOrigins(InstanceLoads loads, IOptions<ClusterOptions> cluster)
{
    /// <summary>The CORS policy of the hub, <c>/auth/token</c> and <c>/cluster</c>.</summary>
    public const string Policy = "cluster";

    public bool Allows(string origin) => Origins().Any(allowed => SameOrigin(allowed, origin));

    /// <summary>The origins, with their WebSocket forms, for a Content-Security-Policy's <c>connect-src</c>.</summary>
    public IEnumerable<string> ConnectSources()
    {
        foreach (var origin in Origins().Distinct())
        {
            if (Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            {
                yield return uri.GetLeftPart(UriPartial.Authority);
                yield return (uri.Scheme == Uri.UriSchemeHttps ? "wss://" : "ws://") + uri.Authority;
            }
        }
    }

    public void Configure(CorsPolicyBuilder policy) => policy
        .SetIsOriginAllowed(Allows)
        .AllowAnyHeader()
        .AllowAnyMethod()
        // The official JavaScript client sends credentials by default (withCredentials), so the origin is echoed, never '*'.
        .AllowCredentials();

    private IEnumerable<string> Origins() =>
        cluster.Value.AllowedOrigins.Concat(loads.KnownUrls).Concat(loads.Live.Select(load => load.Url).OfType<string>());

    private static bool SameOrigin(string url, string origin) =>
        Uri.TryCreate(url, UriKind.Absolute, out var a) && Uri.TryCreate(origin, UriKind.Absolute, out var b)
        && string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
