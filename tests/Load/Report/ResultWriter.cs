using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalRChat.Load.Report;

/// <summary>Writes results as a markdown table (standard output) and as JSON, one record per scenario and mode.</summary>
internal static class ResultWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Markdown(IReadOnlyList<Result> results)
    {
        var text = new StringBuilder();
        if (results.Any(r => r.Scenario == "fanout"))
        {
            var stock = results.FirstOrDefault(r => r.Mode == "stock-clients")?.DeliveriesPerSec;
            text.AppendLine("| mode | deliveries/s | vs stock-clients | publishes/message | p50 ms | p99 ms | max ms | lost | hub CPU ms/1k | Redis CPU ms/1k |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var r in results.Where(r => r.Scenario == "fanout"))
            {
                var ratio = stock is > 0 ? $"{r.DeliveriesPerSec / stock.Value:0.0}x" : "";
                text.AppendLine(Inv($"| {r.Mode} | {r.DeliveriesPerSec:N0} | {ratio} | {r.PublishesPerMessage:0.###} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Lost} | {r.CpuMsPer1kDeliveries:0.00} | {r.RedisCpuMsPer1kDeliveries:0.00} |"));
            }
            if (results.Any(r => r.SystemP99Ms is not null))
            {
                text.AppendLine();
                text.AppendLine("| mode | messages p50 ms | p99 ms | system pushes p50 ms | p99 ms | max ms |");
                text.AppendLine("|---|--:|--:|--:|--:|--:|");
                foreach (var r in results.Where(r => r.Scenario == "fanout"))
                {
                    text.AppendLine(Inv($"| {r.Mode} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.SystemP50Ms:0.0} | {r.SystemP99Ms:0.0} | {r.SystemMaxMs:0.0} |"));
                }
            }
        }
        if (results.Any(r => r.Scenario == "connections"))
        {
            text.AppendLine("| mode | instances | connections | connects/s | connect retries | Redis commands/connect | Redis CPU ms/1k connects | memory/connection | managed heap/connection | idle CPU (% of a core) | broadcast p50 ms | p99 ms | max ms | lost |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var r in results.Where(r => r.Scenario == "connections"))
            {
                text.AppendLine(Inv($"| {r.Mode} | {r.Instances} | {r.Connections:N0} | {r.ConnectsPerSec:N0} | {r.ConnectRetries} | {r.RedisCommandsPerConnect:0.00} | {r.RedisCpuMsPer1kConnects:0.0} | {r.MemoryBytesPerConnection / 1024:N1} KiB | {r.HeapBytesPerConnection / 1024:N1} KiB | {r.IdleCpuPercent:0.0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Lost} |"));
            }
        }
        if (results.Any(r => r.Scenario == "presence"))
        {
            var first = results.First(r => r.Scenario == "presence");
            text.AppendLine(Inv($"{first.Players:N0} players over {first.Instances} instances, each followed by {first.Follows}; median of {first.Runs} run(s)"));
            text.AppendLine();
            text.AppendLine("| status changes/s asked | reached | deliveries/s | propagation p50 ms | p99 ms | max ms | every follower p99 ms | lost | superseded | hub CPU ms/1k deliveries | Redis CPU ms/1k | GC paused ms: hub | tool |");
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var r in results.Where(r => r.Scenario == "presence" && r.Mode != "nearby"))
            {
                text.AppendLine(Inv($"| {r.TargetRate:N0} | {r.ChangesPerSec:N0} | {r.DeliveriesPerSec:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.EveryFollowerP99Ms:0.0} | {r.Lost} | {r.Superseded:N0} | {r.CpuMsPer1kDeliveries:0.00} | {r.RedisCpuMsPer1kDeliveries:0.00} | {r.HubGcPauseMs:N0} | {r.ToolGcPauseMs:N0} |"));
            }
            foreach (var r in results.Where(r => r.Scenario == "presence" && r.Mode == "nearby"))
            {
                text.AppendLine();
                text.AppendLine("| Nearby: zone players | queries/s | p50 ms | p99 ms | max ms | hub CPU ms/query | GC paused ms: hub | tool |");
                text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|");
                text.AppendLine(Inv($"| {r.ZonePlayers:N0} | {r.ChangesPerSec:N0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.0} | {r.CpuMsPer1kDeliveries / 1000:0.000} | {r.HubGcPauseMs:N0} | {r.ToolGcPauseMs:N0} |"));
            }
        }
        if (results.Any(r => r.Scenario == "room"))
        {
            var first = results.First(r => r.Scenario == "room");
            text.AppendLine(Inv($"One room of {first.RoomSize} members over {first.Instances} instances, {first.Senders} sending; median of {first.Runs} run(s)"));
            text.AppendLine();
            text.AppendLine("| history at start | messages | messages/s accepted | Redis bytes in/message | deliveries/s | delivery p50 ms | p99 ms | lost | hub CPU ms/1k deliveries | Redis CPU ms/1k |");
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var r in results.Where(r => r.Scenario == "room"))
            {
                text.AppendLine(Inv($"| {r.HistoryLength:N0} | {r.Messages:N0} | {r.MessagesPerSec:N0} | {r.RedisBytesPerMessage:N0} | {r.DeliveriesPerSec:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.Lost} | {r.CpuMsPer1kDeliveries:0.00} | {r.RedisCpuMsPer1kDeliveries:0.00} |"));
            }
        }
        if (results.Any(r => r.Scenario == "flood"))
        {
            var first = results.First(r => r.Scenario == "flood");
            text.AppendLine(Inv($"{first.RoomSize} members chatting in one room over {first.Instances} instances (a message each 500 ms); one user floods it with 4,000-character messages; median of {first.Runs} run(s)"));
            text.AppendLine();
            text.AppendLine("| limits, phase | members' calls | p50 ms | p99 ms | max ms | failed | members cut off | flood connections | flood accepted/s | flood refused | hub CPU % of a core |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var r in results.Where(r => r.Scenario == "flood"))
            {
                text.AppendLine(Inv($"| {r.Mode} | {r.Messages:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Lost} | {r.MembersCutOff} | {r.Connections} | {r.MessagesPerSec:N0} | {r.FloodRefused:N0} | {r.IdleCpuPercent:0} |"));
            }
        }
        GameReport.Markdown(results, text);
        return text.ToString();
    }

    /// <returns>The JSON file's path.</returns>
    public static string WriteJson(IReadOnlyList<Result> results, string path)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(results, Json));
        return path;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
