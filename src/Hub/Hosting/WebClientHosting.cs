using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace SignalRChat.Hub.Hosting;

/// <summary>Serves the web client (<c>src/Client.Web</c>, bundled into the build output's <c>webclient/</c>) at <c>/</c>.</summary>
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
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate every time (ETag), so a rebuilt client is picked up at once; the page loads only its own files.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
            },
        });
    }
}
