using ScottPlot;

namespace SignalRChat.Load.Report;

/// <summary>PNG charts of the fanout results: deliveries per second, and latency percentiles, per mode.</summary>
internal static class Charts
{
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(IReadOnlyList<Result> results, string directory, string prefix)
    {
        var presence = results.Where(r => r.Scenario == "presence" && r.Mode != "nearby").ToList();
        if (presence.Count > 0)
        {
            return [PresenceLatency(presence, directory, prefix)];
        }
        var fanout = results.Where(r => r.Scenario == "fanout").ToList();
        if (fanout.Count == 0)
        {
            return [];
        }
        var first = fanout[0];
        var setup = $"{first.Instances} instances, room of {first.RoomSize}, {first.Messages} messages, median of {first.Runs} run(s)";
        var ticks = fanout.Select((r, i) => new Tick(i, r.Mode)).ToArray();

        var throughput = new Plot();
        throughput.Add.Bars(fanout.Select(r => r.DeliveriesPerSec).ToArray());
        throughput.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        throughput.Axes.Margins(bottom: 0);
        throughput.Title($"Deliveries per second ({setup})", size: 13);
        throughput.YLabel("deliveries/s");
        var throughputFile = Path.Combine(directory, $"{prefix}-throughput.png");
        throughput.SavePng(throughputFile, 900, 450);

        var latency = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < fanout.Count; i++)
        {
            bars.Add(new Bar { Position = i * 3, Value = fanout[i].P50Ms, FillColor = Colors.SteelBlue });
            bars.Add(new Bar { Position = i * 3 + 1, Value = fanout[i].P99Ms, FillColor = Colors.OrangeRed });
        }
        latency.Add.Bars(bars);
        latency.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            fanout.Select((r, i) => new Tick(i * 3 + 0.5, r.Mode)).ToArray());
        latency.Axes.Margins(bottom: 0);
        latency.Legend.ManualItems.Add(new LegendItem { LabelText = "p50", FillColor = Colors.SteelBlue });
        latency.Legend.ManualItems.Add(new LegendItem { LabelText = "p99", FillColor = Colors.OrangeRed });
        latency.ShowLegend(Alignment.UpperLeft);
        latency.Title($"End-to-end latency ({setup})", size: 13);
        latency.YLabel("ms");
        var latencyFile = Path.Combine(directory, $"{prefix}-latency.png");
        latency.SavePng(latencyFile, 900, 450);
        return [throughputFile, latencyFile];
    }

    /// <summary>Propagation p50 and p99 against the status-change rate.</summary>
    private static string PresenceLatency(IReadOnlyList<Result> presence, string directory, string prefix)
    {
        var first = presence[0];
        var plot = new Plot();
        var rates = presence.Select(r => (double)r.TargetRate!.Value).ToArray();
        var p50 = plot.Add.Scatter(rates, presence.Select(r => r.P50Ms).ToArray());
        p50.LegendText = "p50";
        var p99 = plot.Add.Scatter(rates, presence.Select(r => r.P99Ms).ToArray());
        p99.LegendText = "p99";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title($"Presence propagation ({first.Players:N0} players, {first.Follows} followers each, {first.Instances} instances, median of {first.Runs})", size: 13);
        plot.XLabel("status changes per second");
        plot.YLabel("ms, change asked to follower notified");
        var file = Path.Combine(directory, $"{prefix}-propagation.png");
        plot.SavePng(file, 900, 450);
        return file;
    }
}
