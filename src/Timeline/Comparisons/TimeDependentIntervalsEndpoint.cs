using Marten;
using Timeline.Analyses;
using Timeline.Projections.Study;
using Wolverine.Http;

namespace Timeline.Comparisons;

public sealed record TimeDependentIntervalsAnswer(IReadOnlyList<ExposureRow> Intervals, IReadOnlyList<Exclusion> Excluded, string Unit, Basis Basis);

/// <summary>The counting-process rows behind the time-dependent analysis (R's tmerge columns), ready for R.</summary>
public static class TimeDependentIntervalsEndpoint
{
    [WolverineGet("/api/analyses/overall-survival/time-dependent/intervals", OperationId = "OverallSurvivalTimeDependentIntervals")]
    public static Task<IResult> Get(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var r = StudyComparisons.Intervals(s.Outcomes, q.Unit);
            return new TimeDependentIntervalsAnswer(r.Intervals, r.Excluded, AnalysisEndpoints.Name(q), s.Basis);
        }, ct);
}
