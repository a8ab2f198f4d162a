using ScottPlot;

namespace SignalRChat.Load.Report;

/// <summary>Charts of the results: PNG for fanout (deliveries per second, latency per mode) and presence (propagation
/// against the rate); SVG for the game (latency against the rate, per class, and the classes' P99 together).</summary>
internal static class Charts
{
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(IReadOnlyList<Result> results, string directory, string prefix)
    {
        var game = results.Where(r => r.Scenario == "game" && r.Kind is null).ToList();
        if (game.Count > 0)
        {
            return GameLatency(game, directory, prefix);
        }
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

    /// <summary>Per class, P50, P99 and max against the rate, with the goal; then the three classes' P99 in one chart.
    /// The latency axis is logarithmic: past saturation chat waits seconds while system stays at milliseconds.</summary>
    private static List<string> GameLatency(IReadOnlyList<Result> game, string directory, string prefix)
    {
        var first = game[0];
        var rates = game.Select(r => r.TargetRate!.Value).Distinct().Order().ToArray();
        var files = new List<string>();
        var goals = new Dictionary<string, double> { ["system"] = GameReport.SystemGoalMs, ["chat"] = GameReport.ChatGoalMs, ["presence"] = GameReport.PresenceGoalMs };
        foreach (var (@class, goal) in goals)
        {
            var rows = rates.Select(rate => game.Single(r => r.Class == @class && r.TargetRate == rate)).ToList();
            var plot = LatencyPlot(rates, goal);
            AddLine(plot, rows, r => r.P50Ms, "p50");
            AddLine(plot, rows, r => r.P99Ms, "p99");
            AddLine(plot, rows, r => r.MaxMs, "max");
            FitDecades(plot, rows.SelectMany(r => new[] { r.P50Ms, r.P99Ms, r.MaxMs }));
            plot.Title($"Game: {@class} deliveries ({first.Players:N0} players, {first.Instances} instances, median of {first.Runs})", size: 13);
            files.Add(Save(plot, directory, $"{prefix}-{@class}.svg"));
        }
        var together = LatencyPlot(rates, GameReport.SystemGoalMs);
        foreach (var @class in goals.Keys)
        {
            AddLine(together, [.. rates.Select(rate => game.Single(r => r.Class == @class && r.TargetRate == rate))], r => r.P99Ms, @class);
        }
        FitDecades(together, game.Select(r => r.P99Ms));
        together.Title($"Game: p99 per class as the rate grows ({first.Players:N0} players, {first.Instances} instances)", size: 13);
        files.Add(Save(together, directory, $"{prefix}-p99.svg"));
        return files;
    }

    private static Plot LatencyPlot(int[] rates, double goal)
    {
        var plot = new Plot();
        var goalLine = plot.Add.HorizontalLine(Math.Log10(goal));
        goalLine.LinePattern = LinePattern.Dashed;
        goalLine.Color = Colors.Gray;
        goalLine.LegendText = $"goal ({goal:0} ms)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. rates.Select(rate => new Tick(rate, rate.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))]);
        plot.XLabel("actions per second, all players together");
        plot.YLabel("ms, from cause to delivery (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Shows whole decades from 1 ms to above the largest value (at least 1,000 ms), so the goal and the
    /// saturated steps are on one scale.</summary>
    private static void FitDecades(Plot plot, IEnumerable<double> values)
    {
        var largest = values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, Math.Max(3, Math.Ceiling(Math.Log10(Math.Max(1, largest)))));
    }

    private static void AddLine(Plot plot, IReadOnlyList<Result> rows, Func<Result, double> value, string label)
    {
        var points = rows.Where(r => double.IsFinite(value(r)) && value(r) > 0).ToList();
        var line = plot.Add.Scatter(points.Select(r => (double)r.TargetRate!.Value).ToArray(), points.Select(r => Math.Log10(value(r))).ToArray());
        line.LegendText = label;
    }

    private static string Save(Plot plot, string directory, string name)
    {
        var file = Path.Combine(directory, name);
        plot.SaveSvg(file, 900, 450);
        return file;
    }
}
