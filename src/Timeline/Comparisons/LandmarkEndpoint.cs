using Marten;
using Timeline.Analyses;
using Timeline.Projections.Analysis;
using Timeline.Projections.Study;
using Wolverine.Http;

namespace Timeline.Comparisons;

public sealed record LandmarkAnswer(IReadOnlyList<LandmarkReport> Landmarks, IReadOnlyList<Exclusion> Excluded, string Unit, Basis Basis);

/// <summary>Landmark comparisons of OS after the anchor: at each L, group by mTKI started by L, time from L.</summary>
public static class LandmarkEndpoint
{
    [WolverineGet("/api/analyses/overall-survival/landmark", OperationId = "OverallSurvivalLandmark")]
    public static Task<IResult> Get(string? histology, string? unit, string? asOf, string? at, string? ties, string? covariates,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var landmarks = ComparisonQuery.ParseLandmarks(at, out var problem);
        if (problem is not null) return Task.FromResult(problem);
        var method = ComparisonQuery.ParseTies(ties, out problem);
        if (problem is not null) return Task.FromResult(problem);
        var names = ComparisonQuery.ParseCovariates(covariates, out problem);
        if (problem is not null) return Task.FromResult(problem);
        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            // Without at: 3, 6 and 12 months, expressed in the answer's unit.
            var points = landmarks ?? [.. ComparisonQuery.DefaultLandmarkMonths.Select(m => TimeUnits.FromDays(TimeUnits.ToDays(m, TimeUnit.Months), q.Unit))];
            var r = StudyComparisons.Landmark(s.Outcomes, q.Unit, points, method!.Value, names!);
            return new LandmarkAnswer(r.Landmarks, r.Excluded, AnalysisEndpoints.Name(q), s.Basis);
        }, ct);
    }
}
