using Microsoft.Extensions.FileProviders;
using SignalRChat.Hub.Cluster;

namespace SignalRChat.Hub.Hosting;

/// <summary>
/// Serves the web client (<c>src/Client.Web</c>, bundled into the build output's <c>webclient/</c>) at <c>/</c>, and
/// the cluster page for <see cref="ClusterEndpoints"/>.
/// </summary>
internal static class WebClientHosting
{
    /// <summary>The folder of the build output that holds the bundled page.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "webclient");

    public static void UseWebClient(this WebApplication app)
    {
        if (!File.Exists(Path.Combine(Folder, "index.html")))
        {
            app.Lifetime.ApplicationStarted.Register(() => HostingLog.WebClientMissing(app.Logger, Folder));
            return;
        }
        var files = new PhysicalFileProvider(Folder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => AddHeaders(context.Context),
        });
    }

    /// <summary>A page of the bundle with the headers of every file, or null when the bundle was not built.</summary>
    public static IResult? Page(HttpContext http, string file)
    {
        var path = Path.Combine(Folder, file);
        if (!File.Exists(path))
        {
            return null;
        }
        AddHeaders(http);
        return Results.File(path, "text/html; charset=utf-8");
    }

    private static void AddHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        // Revalidate every time (ETag), so a rebuilt client is picked up at once.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        // The page loads only its own files, and connects to this instance or another of the cluster (to move there
        // when this one is gone).
        var origins = http.RequestServices.GetService<ClusterOrigins>()?.ConnectSources() ?? [];
        headers.ContentSecurityPolicy = $"default-src 'self'; connect-src 'self' {string.Join(' ', origins)}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    }
}
