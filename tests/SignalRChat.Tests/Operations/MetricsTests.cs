using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SignalRChat.Load.Cluster;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Operations;

/// <summary>
/// <c>/metrics</c>: OpenTelemetry metrics in Prometheus' format, with values that match known traffic. Real processes
/// (an exporter sees every meter of its name in the process, so in-process instances would count each other's): two
/// hub-only instances and one that hosts the objects, so every push crosses the backplane wherever the room is.
/// </summary>
public sealed class MetricsTests
{
    private const string Room = "ChatRoom-metrics";
    private const int Messages = 5;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task AfterKnownTraffic_MetricsShowTheCallsConnectionsDeliveriesAndLatencies()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var objects = await HubProcess.StartAsync(redis.ConnectionString, "Cluster:Role=Objects");
        await using var hubA = await HubProcess.StartAsync(redis.ConnectionString, "Cluster:Role=Hub");
        await using var hubB = await HubProcess.StartAsync(redis.ConnectionString, "Cluster:Role=Hub");
        await using var alice = await TestClient.ConnectAsync(hubA.Url, "alice");
        await using var bob = await TestClient.ConnectAsync(hubB.Url, "bob");
        await alice.CallAsync(Room, "Join");
        await bob.CallAsync(Room, "Join");
        for (var i = 0; i < Messages; i++)
        {
            await alice.CallAsync(Room, "SendMessage", new { text = $"m{i}" });
        }
        for (var i = 0; i < Messages; i++)
        {
            await bob.NextAsync("NewMessage");
        }
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => alice.CallAsync(Room, "SendMessage", new { text = "" }));

        var a = await ScrapeAsync(hubA.Url);
        Assert.Equal(Messages, Value(a, "signalrchat_hub_calls_total", "method=\"SendMessage\"", "result=\"ok\"", "type=\"ChatRoom\""));
        Assert.Equal(1, Value(a, "signalrchat_hub_calls_total", "method=\"SendMessage\"", "result=\"error\""));
        Assert.Equal(1, Value(a, "signalrchat_hub_calls_total", "method=\"Join\"", "result=\"ok\""));
        Assert.Equal(1, Value(a, "signalrchat_hub_connections"));
        Assert.Equal(1, Value(a, "signalrchat_hub_users"));
        // Hubs forward calls; the objects push.
        Assert.Equal(0, Value(a, "signalrchat_push_backplane_published_total"));
        foreach (var cause in new[] { "instance_gone", "client_gone", "publish_failed" })
        {
            Assert.Equal(0, Value(a, "signalrchat_push_dropped_total", $"cause=\"{cause}\""));
        }

        var b = await ScrapeAsync(hubB.Url);
        Assert.Equal(1, Value(b, "signalrchat_hub_calls_total", "method=\"Join\"", "result=\"ok\""));
        Assert.DoesNotContain(b, line => line.StartsWith("signalrchat_hub_calls_total", StringComparison.Ordinal) && line.Contains("method=\"SendMessage\""));
        // The messages, and the few notices of a connect and a join (Registered, alice's MemberJoined).
        Assert.InRange(Value(b, "signalrchat_push_delivered_total"), Messages, Messages + 4);
        // The room's pushes to bob, one backplane message each or fewer (an outbox that falls behind joins them).
        Assert.InRange(Value(b, "signalrchat_push_backplane_received_total"), 1, Messages + 2);
        // Every delivery to bob went through B's writer and was timed, from the publish on: once per send, and a send
        // B received may carry several messages (the publisher's outbox joins what queued while it was publishing).
        Assert.InRange(Value(b, "signalrchat_push_latency_seconds_count"), 1, Value(b, "signalrchat_push_delivered_total"));
        Assert.Equal(Value(b, "signalrchat_push_latency_seconds_count"), Value(b, "signalrchat_push_latency_seconds_bucket", "le=\"+Inf\""));
        var o = await ScrapeAsync(objects.Url);
        // The room pushed every message once, whatever the members' instances (and a few join notices).
        Assert.InRange(Value(o, "signalrchat_push_sent_total"), Messages, Messages + 6);
        // A hub instance sends only its own Registered to each connection.
        Assert.Equal(1, Value(a, "signalrchat_push_sent_total"));
        Assert.InRange(Value(o, "signalrchat_push_backplane_published_total"), 1, 2 * (Messages + 2));
        Assert.Equal(0, Value(o, "signalrchat_push_outbox_depth"));
        // ASP.NET Core's and the runtime's own.
        Assert.Contains(b, line => line.StartsWith("http_server_request_duration_seconds_bucket", StringComparison.Ordinal));
        Assert.Contains(b, line => line.StartsWith("dotnet_gc_", StringComparison.Ordinal) || line.StartsWith("process_runtime_dotnet_gc_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAMetricsPort_OnlyThatPortAnswers()
    {
        await using var redis = await RedisServer.StartAsync();
        var port = FreePort.Next();
        await using var instance = await HubInstance.StartAsync(redis.ConnectionString, $"urls=http://127.0.0.1:0;http://127.0.0.1:{port}", $"Metrics:Port={port}");

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{instance.Url}/metrics")).StatusCode);
        Assert.Contains(await ScrapeAsync($"http://127.0.0.1:{port}"), line => line.StartsWith("signalrchat_hub_connections", StringComparison.Ordinal));
    }

    private static async Task<string[]> ScrapeAsync(string baseUrl) =>
        (await Http.GetStringAsync($"{baseUrl}/metrics")).Split('\n');

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double Value(string[] scrape, string name, params string[] labels)
    {
        var samples = scrape.Where(line => Regex.IsMatch(line, $"^{Regex.Escape(name)}[{{ ]") && labels.All(line.Contains)).ToList();
        Assert.True(samples.Count == 1, $"expected one sample of {name} with {string.Join(", ", labels)}; found {samples.Count}:\n{string.Join('\n', samples)}");
        return double.Parse(samples[0][(samples[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
