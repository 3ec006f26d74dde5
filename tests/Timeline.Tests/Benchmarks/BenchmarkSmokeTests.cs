using System.Text.Json;
using Timeline.Benchmarks;

namespace Timeline.Tests.Benchmarks;

/// <summary>
/// The benchmark's code on a few SYNTHETIC patients, so it keeps working: every figure is produced and written.
/// Nothing here is timed: performance is what the benchmark reports, never what a test asserts.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task A_small_run_measures_every_figure_and_writes_the_results_file()
    {
        var results = Path.Combine(Path.GetTempPath(), $"timeline-bench-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var options = new BenchmarkOptions(Patients: 200, Seed: 7, ResultsPath: results, Clients: 2, AppendSeconds: 1, Replays: 20,
                CompareWriters: true, RRepetitions: 1, RouteRepetitions: 3, HeavySeconds: 1);
            var run = await BenchmarkRun.RunAsync(options, TextWriter.Null, CancellationToken.None);
            await File.WriteAllTextAsync(results, run.ToJson());

            run.Patients.ShouldBe(200);
            run.Events.ShouldBeGreaterThan(200);
            var names = run.Figures.Select(f => f.Name).ToList();
            names.ShouldContain(n => n.StartsWith("import (POST /api/import", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("HTTP appends", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("projection rebuild", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("all analyses", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("timeline replay", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("analyses' read model rebuild", StringComparison.Ordinal));
            names.ShouldContain("GET /api/analyses/overall-survival, p50");
            names.ShouldContain(n => n.StartsWith("GET /api/analyses/overall-survival?asOf= middle of log", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("GET /api/patients?limit=100", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("GET /api/analyses/overall-survival/patients", StringComparison.Ordinal));
            names.ShouldContain(n => n.StartsWith("4 heavy reads at once", StringComparison.Ordinal));
            names.ShouldContain("/health during the 4 heavy reads, p99");
            names.ShouldContain(n => n.StartsWith("app peak resident memory", StringComparison.Ordinal));
            foreach (var export in new[] { "ADaM, CSV", "ADaM, Dataset-JSON", "ADaM, SAS transport (XPT)", "cBioPortal study", "FHIR R4 bulk (NDJSON per resource type)" })
                names.ShouldContain(n => n.StartsWith($"export {export} (GET", StringComparison.Ordinal));
            run.Figures.ShouldAllBe(f => f.Value > 0 && !double.IsNaN(f.Value));
            run.Figures.Where(f => f.Unit is "events/s" or "appends/s").ShouldAllBe(f => f.Baseline > 0 || f.Baseline == null);
            run.ToTable().ShouldContain("| figure | value |");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(results));
            json.RootElement.GetProperty("figures").GetArrayLength().ShouldBe(run.Figures.Count);
            json.RootElement.GetProperty("machine").GetProperty("cores").GetInt32().ShouldBe(Environment.ProcessorCount);
        }
        finally
        {
            File.Delete(results);
        }
    }
}
