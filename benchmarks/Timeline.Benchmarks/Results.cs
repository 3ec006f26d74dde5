using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Timeline.Benchmarks;

/// <summary>One measured figure beside its baseline (measured in the same run, on the same server) and its target.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The measurement, in <paramref name="Unit"/>.</param>
/// <param name="Baseline">What the baseline achieved, in the same unit; null when there is none.</param>
/// <param name="BaselineName">What the baseline is.</param>
/// <param name="Target">The target, in words.</param>
/// <param name="Met">Whether the target was met; null when there is no target or it could not be judged.</param>
/// <param name="Note">Anything else worth saying beside the number.</param>
public sealed record Figure(string Name, double Value, string Unit, double? Baseline, string? BaselineName, string? Target, bool? Met, string? Note = null)
{
    /// <summary>Value / baseline (for a rate, the share of the baseline reached; for a duration, how many times slower).</summary>
    public double? Ratio => Baseline is > 0 ? Value / Baseline.Value : null;
}

public sealed record MachineInfo(string Date, int Cores, string Cpu, string Os, string Dotnet, string Postgres, string? R);

public sealed record BenchmarkResults(MachineInfo Machine, int Patients, long Events, int Seed, IReadOnlyList<Figure> Figures)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A Markdown table, as the README shows it.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{Machine.Date}, {Machine.Cores} cores ({Machine.Cpu}), {Machine.Os}, .NET {Machine.Dotnet}, PostgreSQL {Machine.Postgres}{(Machine.R is null ? "" : $", {Machine.R}")}");
        text.AppendLine(c, $"{Patients:N0} SYNTHETIC patients, {Events:N0} events, seed {Seed}");
        text.AppendLine();
        text.AppendLine("| figure | value | baseline (same run) | ratio | target | met |");
        text.AppendLine("|---|---:|---|---:|---|---|");
        foreach (var f in Figures)
        {
            var baseline = f.Baseline is { } b ? $"{Format(b)} {f.Unit} ({f.BaselineName})" : f.BaselineName ?? "";
            var ratio = f.Ratio is { } r ? r.ToString(r < 10 ? "0.00" : "0", c) : "";
            var met = f.Met switch { true => "yes", false => "**no**", null => "" };
            var name = f.Note is null ? f.Name : $"{f.Name} ({f.Note})";
            text.AppendLine(c, $"| {name} | {Format(f.Value)} {f.Unit} | {baseline} | {ratio} | {f.Target} | {met} |");
        }
        return text.ToString();
    }

    static string Format(double v) => v switch
    {
        >= 100 => v.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => v.ToString("0.0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.00", CultureInfo.InvariantCulture),
    };
}

/// <summary>Latency percentiles of a set of timings.</summary>
public static class Percentiles
{
    /// <summary>The nearest-rank percentile (0 &lt; p ≤ 100) of <paramref name="sortedMs"/>; 0 for none.</summary>
    public static double Of(IReadOnlyList<double> sortedMs, double p)
    {
        if (sortedMs.Count == 0) return 0;
        var rank = (int)Math.Ceiling(p / 100 * sortedMs.Count);
        return sortedMs[Math.Clamp(rank - 1, 0, sortedMs.Count - 1)];
    }
}
