using Marten;
using Timeline.Analyses;
using Timeline.Projections.Analysis;
using Timeline.Projections.Study;
using Wolverine.Http;

namespace Timeline.Comparisons;

public sealed record TimeDependentAnswer(
    ChiSquareTest? MantelByar, CoxSummary? Cox, IReadOnlyList<SimonMakuchCurve> SimonMakuch,
    IReadOnlyList<Exclusion> Excluded, IReadOnlyList<string> Warnings, string Unit, Basis Basis);

/// <summary>OS after the anchor with mTKI as a time-dependent exposure: Mantel–Byar, Cox, Simon–Makuch.</summary>
public static class TimeDependentEndpoint
{
    [WolverineGet("/api/analyses/overall-survival/time-dependent", OperationId = "OverallSurvivalTimeDependent")]
    public static Task<IResult> Get(string? histology, string? unit, string? asOf, string? ties, string? covariates,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var method = ComparisonQuery.ParseTies(ties, out var problem);
        if (problem is not null) return Task.FromResult(problem);
        var names = ComparisonQuery.ParseCovariates(covariates, out problem);
        if (problem is not null) return Task.FromResult(problem);
        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var r = StudyComparisons.TimeDependent(s.Outcomes, q.Unit, method!.Value, names!);
            return new TimeDependentAnswer(r.MantelByar, r.Cox, r.SimonMakuch, r.Excluded, r.Warnings, AnalysisEndpoints.Name(q), s.Basis);
        }, ct);
    }
}
