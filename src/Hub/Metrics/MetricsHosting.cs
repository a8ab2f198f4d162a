using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using SignalRChat.Hub.Limits;
using SignalRChat.Push.Internal;

namespace SignalRChat.Hub.Metrics;

/// <summary>
/// OpenTelemetry metrics in Prometheus' text format at <see cref="MetricsOptions.Path"/>: ASP.NET Core's and the .NET
/// runtime's, and ours (<c>SignalRChat.Push</c>, <c>SignalRChat.Hub</c>, <c>SignalRChat.Limits</c>).
/// </summary>
internal static class MetricsHosting
{
    public static void AddClusterMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PushMetrics.MeterName, HubMetrics.MeterName, LimitMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            // Every scrape reads the values of that moment.
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void MapClusterMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }
        var endpoint = app.MapPrometheusScrapingEndpoint(options.Path);
        if (options.Port is { } port)
        {
            endpoint.RequireHost($"*:{port}");
        }
    }
}
