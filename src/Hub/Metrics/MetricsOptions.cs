using Microsoft.Extensions.Options;

namespace SignalRChat.Hub.Metrics;

/// <summary>The Prometheus scraping endpoint (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metrics";

    /// <summary>Whether <see cref="Path"/> answers.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// When set, the metrics answer only on this port, and 404 on the others: keep it off the public port by listening
    /// on it privately too (<c>--urls "http://0.0.0.0:5000;http://10.0.0.5:9464" --Metrics:Port=9464</c>).
    /// </summary>
    public int? Port { get; set; }
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        List<string> problems = [];
        if (!options.Path.StartsWith('/') || options.Path.Length < 2)
        {
            problems.Add($"Metrics:Path '{options.Path}' must be a path such as /metrics.");
        }
        if (options.Port is < 1 or > 65535)
        {
            problems.Add($"Metrics:Port ({options.Port}) must be a TCP port (1-65535).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
