using Microsoft.Net.Http.Headers;
using SignalRChat.Hub.Hosting;
using SignalRChat.Push;

namespace SignalRChat.Hub.Cluster;

/// <summary>
/// <c>GET /cluster</c>: the live instances with their public URLs and loads, and the objects per type, as JSON
/// (<c>?history=true</c> adds each instance's samples of the last minutes); a browser (asking for HTML) gets the
/// cluster page instead. Anonymous: clients read it to know where else they can connect.
/// </summary>
internal static class ClusterEndpoints
{
    public const string Path = "/cluster";

    public static void MapCluster(this WebApplication app)
    {
        app.MapGet(Path, async (HttpContext http, bool? history, InstanceLoads loads, GrainCounts grains, ClusterInstances instances) =>
        {
            if (WantsPage(http.Request) && WebClientHosting.Page(http, "cluster.html") is { } page)
            {
                return page;
            }
            var list = history == true ? await loads.WithHistoryAsync() : loads.Live;
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(new ClusterView(instances.LocalInstanceId, list, await grains.ReadAsync()));
        }).RequireCors(ClusterOrigins.Policy);
    }

    /// <summary>A browser navigating asks for HTML first; scripts and tools ask for JSON or anything.</summary>
    private static bool WantsPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept && accept[0].MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase);

    /// <param name="Instance">The instance that answered.</param>
    /// <param name="Instances">The live instances, ordered by ID.</param>
    /// <param name="Grains">Objects active in the cluster, per type.</param>
    private sealed record ClusterView(string Instance, IReadOnlyList<InstanceLoad> Instances, IReadOnlyDictionary<string, int> Grains);
}
