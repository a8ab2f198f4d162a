using Orleans.Dashboard;

namespace SignalRChat.Hub.Hosting;

/// <summary>The Orleans dashboard (configuration section <c>Dashboard</c>): grain-level detail for operators.</summary>
public sealed class OrleansDashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Dashboard";

    /// <summary>Off by default. Turn it on in every process of the cluster: each silo collects its part.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the dashboard answers.</summary>
    public string Path { get; set; } = "/dashboard";

    /// <summary>When set, the dashboard answers only on this port: it has no login, so keep it on a private one.</summary>
    public int? Port { get; set; }
}

internal static class DashboardHosting
{
    public static OrleansDashboardOptions ReadDashboardOptions(this IConfiguration configuration)
    {
        var options = configuration.GetSection(OrleansDashboardOptions.Section).Get<OrleansDashboardOptions>() ?? new();
        if (!options.Path.StartsWith('/') || options.Path.Length < 2 || options.Port is < 1 or > 65535)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(OrleansDashboardOptions.Section, typeof(OrleansDashboardOptions),
                [$"Dashboard:Path '{options.Path}' must be a path such as /dashboard, and Dashboard:Port ({options.Port}) a TCP port (1-65535)."]);
        }
        return options;
    }

    public static void AddDashboard(this ISiloBuilder silo, OrleansDashboardOptions options)
    {
        if (options.Enabled)
        {
            // No call traces: they would show message contents to whoever reaches the dashboard.
            silo.AddDashboard(dashboard => dashboard.HideTrace = true);
        }
    }

    public static void AddDashboard(this IClientBuilder client, OrleansDashboardOptions options)
    {
        if (options.Enabled)
        {
            client.AddDashboard(dashboard => dashboard.HideTrace = true);
        }
    }

    public static void MapDashboard(this WebApplication app, OrleansDashboardOptions options)
    {
        if (!options.Enabled)
        {
            return;
        }
        var dashboard = app.MapOrleansDashboard(routePrefix: options.Path);
        if (options.Port is { } port)
        {
            dashboard.RequireHost($"*:{port}");
        }
    }
}
