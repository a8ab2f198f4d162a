using System.Net;
using Microsoft.Extensions.Options;
using SignalRChat.Push;

namespace SignalRChat.Hub.Hosting;

/// <summary>How this process joins the cluster (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cluster";

    /// <summary>What this process runs.</summary>
    public ClusterRole Role { get; set; } = ClusterRole.All;

    /// <summary>This hub instance's ID; generated unique per process start when empty.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The Orleans cluster and service ID; processes with the same ID on the same Redis form one cluster.</summary>
    public string ClusterId { get; set; } = "signalrchat";

    /// <summary>The Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The Orleans gateway port that hub-only processes connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos reach this one on, and the only address the silo and gateway ports listen on: a private
    /// address (loopback suits one machine). These ports are a trust boundary: never expose them to clients.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// A secret shared by every process of the cluster (at least <see cref="MinSecretLength"/> characters). Our processes
    /// send it with every object call; objects refuse calls without it, so an Orleans client that reaches the gateway
    /// port but does not know it cannot call them. It travels unencrypted between processes: keep their network private.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The shortest <see cref="Secret"/> accepted.</summary>
    public const int MinSecretLength = 16;

    /// <summary>
    /// How long a hub instance counts as alive after its last heartbeat (sent every third of it). Past it, objects forget
    /// the instance's clients: a crashed instance's connections never say goodbye.
    /// </summary>
    public TimeSpan InstanceTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stopping process waits for connections and the silo to close gracefully.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A fixed socket send buffer for client connections, in bytes; null keeps the kernel's own sizing, which grows to
    /// megabytes for a client that reads slowly. What a socket holds is sent first in, first out: a small buffer keeps
    /// a slow client's backlog in the server's queues, where system messages overtake chat and presence is coalesced.
    /// Too small a buffer slows clients far away (it bounds the bytes in flight per round trip).
    /// </summary>
    public int? SocketSendBufferBytes { get; set; }

    /// <summary>
    /// Over how long a stopping instance asks its clients to reconnect elsewhere: a share of them at a time, so the
    /// other instances are not stampeded. Less than <see cref="ShutdownTimeout"/>.
    /// </summary>
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The URL clients reach this instance on (scheme, host, port; for example <c>https://chat-3.example.com</c>),
    /// listed by <c>/cluster</c> and used to send clients here. When empty, the first address the server listens on,
    /// unless that is a wildcard (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>): then clients are not sent here and lists
    /// show no URL for it.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// How much more than the least-loaded instance this one must hold, as a fraction of the average load, before it
    /// sends a negotiating client there (SignalR's negotiate redirect). 0 turns the redirect off.
    /// </summary>
    public double RebalanceThreshold { get; set; } = 0.1;

    /// <summary>
    /// Web origins, besides the cluster's own public URLs, whose pages may call the hub, <c>/auth/token</c> and
    /// <c>/cluster</c> (CORS), for example <c>https://game.example.com</c>.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>The Redis connection string (<c>ConnectionStrings:Redis</c>); null runs the embedded single-process mode.</summary>
    internal string? Redis { get; set; }

    internal bool HostsHub => Role != ClusterRole.Objects;

    internal bool HostsObjects => Role != ClusterRole.Hub;
}

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        List<string> problems = [];
        if (!Enum.IsDefined(options.Role))
        {
            problems.Add($"Cluster:Role '{options.Role}' is not one of {string.Join(", ", Enum.GetNames<ClusterRole>())}.");
        }
        if (options.Role != ClusterRole.All && string.IsNullOrWhiteSpace(options.Redis))
        {
            problems.Add($"Cluster:Role {options.Role} needs ConnectionStrings:Redis: the hub and the objects find each other through Redis.");
        }
        if (!string.IsNullOrEmpty(options.InstanceId) && !ClientId.IsInstanceId(options.InstanceId))
        {
            problems.Add($"Cluster:InstanceId '{options.InstanceId}' must be 1-{ClientId.MaxInstanceIdLength} letters, digits, '-', '_', '.' or ':'.");
        }
        if (options.SiloPort is < 1 or > 65535 || options.GatewayPort is < 1 or > 65535)
        {
            problems.Add($"Cluster:SiloPort ({options.SiloPort}) and Cluster:GatewayPort ({options.GatewayPort}) must be TCP ports (1-65535).");
        }
        if (options.SocketSendBufferBytes is < 4096)
        {
            problems.Add($"Cluster:SocketSendBufferBytes must be at least 4096 when set; it is {options.SocketSendBufferBytes}.");
        }
        if (options.InstanceTtl < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Cluster:InstanceTtl must be at least 1 second; it is {options.InstanceTtl}.");
        }
        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            problems.Add($"Cluster:ShutdownTimeout must be positive; it is {options.ShutdownTimeout}.");
        }
        if (options.DrainTime < TimeSpan.Zero || options.DrainTime >= options.ShutdownTimeout)
        {
            problems.Add($"Cluster:DrainTime must be at least 0 and less than Cluster:ShutdownTimeout ({options.ShutdownTimeout}); it is {options.DrainTime}.");
        }
        if (!string.IsNullOrEmpty(options.PublicUrl) && !IsWebUrl(options.PublicUrl))
        {
            problems.Add($"Cluster:PublicUrl '{options.PublicUrl}' must be an absolute http or https URL such as https://chat-1.example.com.");
        }
        if (options.RebalanceThreshold is < 0 or > 10 || double.IsNaN(options.RebalanceThreshold))
        {
            problems.Add($"Cluster:RebalanceThreshold must be between 0 (off) and 10; it is {options.RebalanceThreshold}.");
        }
        foreach (var origin in options.AllowedOrigins.Where(o => !IsWebUrl(o)))
        {
            problems.Add($"Cluster:AllowedOrigins entry '{origin}' must be an origin such as https://game.example.com.");
        }
        if (options.Secret is not { Length: >= ClusterOptions.MinSecretLength })
        {
            problems.Add($"Cluster:Secret is required: a random string of at least {ClusterOptions.MinSecretLength} characters, the same on every process of the cluster (run.sh makes one under .local/). Objects refuse calls without it.");
        }
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            problems.Add($"Cluster:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
