using System.Globalization;
using Marten;
using Timeline.Analyses;
using Timeline.Projections.Analysis;
using Timeline.Projections.Study;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Comparisons;

public sealed record RestrictedMeanAnswer(
    double? Tau, IReadOnlyList<GroupRestrictedMean> Groups, RestrictedMeanDifference? Difference, IReadOnlyList<Exclusion> Excluded,
    IReadOnlyList<string> Warnings, string Bias, string Unit, Basis Basis);

/// <summary>Restricted mean OS to tau, mtki − control (naive grouping), with each group's median follow-up.</summary>
public static class RestrictedMeanEndpoint
{
    [WolverineGet("/api/analyses/overall-survival/rmst", OperationId = "OverallSurvivalRestrictedMean")]
    public static Task<IResult> Get(string? histology, string? unit, string? asOf, string? tau, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        double? horizon = null;
        if (!string.IsNullOrWhiteSpace(tau))
        {
            if (!double.TryParse(tau, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
            {
                return Task.FromResult(Problems.Invalid("tau", $"tau '{tau}' must be a positive number of the unit."));
            }

            horizon = value;
        }

        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var r = StudyComparisons.RestrictedMean(s.Outcomes, q.Unit, horizon);
            return new RestrictedMeanAnswer(r.Tau, r.Groups, r.Difference, r.Excluded, r.Warnings, OverallSurvivalAnswer.ImmortalTime,
                AnalysisEndpoints.Name(q), s.Basis);
        }, ct);
    }
}
