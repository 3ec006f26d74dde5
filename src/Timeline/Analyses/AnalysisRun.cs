using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;
using Timeline.Projections.Study;

namespace Timeline.Analyses;

/// <summary>Every figure of one regeneration, in months, for the whole cohort and OS per histology.</summary>
public sealed record RunFigures(
    CohortReport Cohort, ResponseReport Response, TimeToProgressionReport TimeToProgression,
    OverallSurvivalReport OverallSurvival, IReadOnlyDictionary<string, OverallSurvivalReport> OverallSurvivalByHistology)
{
    public static RunFigures Compute(IReadOnlyList<PatientOutcome> outcomes) => new(
        StudyAnalyses.Cohort(outcomes),
        StudyAnalyses.Response(outcomes),
        StudyAnalyses.TimeToProgression(outcomes, TimeUnit.Months),
        StudyAnalyses.OverallSurvival(outcomes, TimeUnit.Months),
        outcomes.Where(o => o.Histology is not null).GroupBy(o => o.Histology!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => StudyAnalyses.OverallSurvival(g.ToList(), TimeUnit.Months)));
}

/// <summary>A stored analysis run: its figures and the basis they were computed from, kept for reproduction and diffs.</summary>
public sealed class AnalysisRun
{
    public Guid Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long LastSequence { get; set; }
    public long ElapsedMs { get; set; }
    public string? RequestedBy { get; set; }
    public RunFigures Figures { get; set; } = null!;
}

public sealed record RunSummary(Guid RunId, DateTimeOffset CreatedAt, long LastSequence, long ElapsedMs, string? RequestedBy);
