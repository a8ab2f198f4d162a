using System.Globalization;
using System.Text;

namespace SignalRChat.Load.Report;

/// <summary>The game scenario's tables and what they say against the goals of issue 12.</summary>
internal static class GameReport
{
    /// <summary>The goals: P99 of system and chat deliveries, and of presence propagation, in milliseconds.</summary>
    public const double SystemGoalMs = 50;
    public const double ChatGoalMs = 50;
    public const double PresenceGoalMs = 100;

    public static void Markdown(IReadOnlyList<Result> results, StringBuilder text)
    {
        var game = results.Where(r => r.Scenario == "game").ToList();
        if (game.Count == 0)
        {
            return;
        }
        text.AppendLine(Inv($"{game[0].Setup}; median of {game[0].Runs} run(s)"));
        text.AppendLine();
        text.AppendLine("| actions/s asked | reached | class | deliveries/s | p50 ms | p99 ms | max ms | lost | failed calls |");
        text.AppendLine("|--:|--:|---|--:|--:|--:|--:|--:|--:|");
        foreach (var r in game.Where(r => r.Kind is null))
        {
            var name = r.Class == "all" ? "**all**" : r.Class;
            text.AppendLine(Inv($"| {r.TargetRate:N0} | {r.ActionsPerSec:N0} | {name} | {r.DeliveriesPerSec:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Lost:N0} | {r.Failed:N0} |"));
        }
        text.AppendLine();
        text.AppendLine("| actions/s asked | deliveries/s | drain ms | sustained | hub CPU ms/1k deliveries | Redis CPU ms/1k | machines for 1M deliveries/s | connections closed |");
        text.AppendLine("|--:|--:|--:|---|--:|--:|--:|--:|");
        foreach (var r in Totals(game))
        {
            text.AppendLine(Inv($"| {r.TargetRate:N0} | {r.DeliveriesPerSec:N0} | {r.DrainMs:N0} | {(r.Sustained == true ? "yes" : "no")} | {r.CpuMsPer1kDeliveries:0.00} | {r.RedisCpuMsPer1kDeliveries:0.00} | {r.MachinesFor1MPerSec:0.0} | {r.MembersCutOff} |"));
        }
        text.AppendLine();
        text.AppendLine("| actions/s asked | kind | class | deliveries/s | p50 ms | p99 ms | max ms | lost | superseded | failed calls |");
        text.AppendLine("|--:|---|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in game.Where(r => r.Kind is not null))
        {
            text.AppendLine(Inv($"| {r.TargetRate:N0} | {r.Kind} | {r.Class} | {r.DeliveriesPerSec:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Lost:N0} | {r.Superseded:N0} | {r.Failed:N0} |"));
        }
        text.AppendLine();
        foreach (var line in Verdicts(game))
        {
            text.AppendLine($"- {line}");
        }
    }

    /// <summary>The goals of the issue, each with what this run measured.</summary>
    public static IEnumerable<string> Verdicts(IReadOnlyList<Result> game)
    {
        var totals = Totals(game).ToList();
        double P99(int rate, string @class) => game.Single(r => r.TargetRate == rate && r.Class == @class && r.Kind is null).P99Ms;
        string Met(bool met) => met ? "met" : "missed";

        var sustained = totals.Where(r => r.Sustained == true).MaxBy(r => r.TargetRate);
        yield return sustained is null
            ? "Highest sustained rate: none of the steps (each lost or failed something, fell behind the rate, or took over a second to drain or at P99)."
            : Inv($"Highest sustained rate: {sustained.TargetRate:N0} actions/s, {sustained.DeliveriesPerSec:N0} deliveries/s (drained within {sustained.DrainMs:N0} ms, P99 {sustained.P99Ms:N0} ms, nothing lost or failed).");

        var top = totals.MaxBy(r => r.TargetRate)!;
        var systemAtTop = P99(top.TargetRate!.Value, "system");
        yield return Inv($"System P99 under {SystemGoalMs} ms while chat is pushed past saturation: {Met(game.Where(r => r.Class == "system" && r.Kind is null).All(r => r.P99Ms < SystemGoalMs))}; ")
            + string.Join(", ", totals.Select(r => Inv($"{r.TargetRate:N0}/s: system {P99(r.TargetRate!.Value, "system"):0.0} ms, chat {P99(r.TargetRate!.Value, "chat"):0.0} ms")))
            + (top.Sustained == true ? " (the top step was still sustained: push the ladder higher to see saturation)." : ".");

        if (sustained is not null)
        {
            var half = totals.Where(r => r.TargetRate <= sustained.TargetRate / 2).MaxBy(r => r.TargetRate);
            yield return half is null
                ? Inv($"Chat P99 under {ChatGoalMs} ms at half the highest sustained rate: no step at or below {sustained.TargetRate / 2:N0} actions/s to judge by.")
                : Inv($"Chat P99 under {ChatGoalMs} ms at half the highest sustained rate ({half.TargetRate:N0} actions/s): {Met(P99(half.TargetRate!.Value, "chat") < ChatGoalMs)}, {P99(half.TargetRate!.Value, "chat"):0.0} ms.");
            yield return Inv($"Presence propagation P99 under {PresenceGoalMs} ms (at the highest sustained rate): {Met(P99(sustained.TargetRate!.Value, "presence") < PresenceGoalMs)}, {P99(sustained.TargetRate!.Value, "presence"):0.0} ms.");
        }
        var lost = totals.Sum(r => r.Lost);
        yield return Inv($"Nothing lost: {Met(lost == 0)}{(lost == 0 ? "" : $", {lost:N0} deliveries lost")}.");

        var basis = sustained ?? totals.MinBy(r => r.TargetRate)!;
        yield return Inv($"1,000,000 deliveries/s would take about {Math.Ceiling(basis.MachinesFor1MPerSec ?? double.NaN):N0} machines like this one ({Environment.ProcessorCount} cores), ")
            + Inv($"from the hub and Redis CPU per delivery at {basis.TargetRate:N0} actions/s ({basis.CpuMsPer1kDeliveries + basis.RedisCpuMsPer1kDeliveries:0.00} ms per 1,000); ")
            + "the players' clients, which share this machine here, are not counted.";
    }

    private static IEnumerable<Result> Totals(IEnumerable<Result> game) => game.Where(r => r.Class == "all" && r.Kind is null);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
