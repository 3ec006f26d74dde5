using System.Globalization;
using Marten;
using Timeline.Analyses;
using Timeline.Projections.Study;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Comparisons;

public sealed record StratifiedLogRankAnswer(StratifiedLogRankReport LogRank, string Bias, string Unit, Basis Basis);

/// <summary>The naive groups' log-rank test, stratified and weighted: R's survdiff with strata() and rho.</summary>
public static class StratifiedLogRankEndpoint
{
    [WolverineGet("/api/analyses/overall-survival/log-rank", OperationId = "OverallSurvivalStratifiedLogRank")]
    public static Task<IResult> Get(string? histology, string? unit, string? asOf, string? rho, string? strata,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        double weight = 0;
        if (!string.IsNullOrWhiteSpace(rho)
            && (!double.TryParse(rho, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !double.IsFinite(weight) || weight < 0 || weight > 10))
        {
            return Task.FromResult(Problems.Invalid("rho", $"rho '{rho}' must be a number from 0 to 10 (0: log-rank, 1: Peto–Peto)."));
        }

        var factors = new List<string>();
        foreach (var part in (strata ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = StudyComparisons.StrataFactors.FirstOrDefault(f => string.Equals(f, part, StringComparison.OrdinalIgnoreCase));
            if (known is null || factors.Contains(known))
            {
                return Task.FromResult(Problems.Invalid("strata",
                    $"stratum '{part}' must be one of {string.Join(", ", StudyComparisons.StrataFactors)}, each at most once."));
            }

            factors.Add(known);
        }

        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
            new StratifiedLogRankAnswer(StudyComparisons.StratifiedLogRank(s.Outcomes, q.Unit, weight, factors),
                OverallSurvivalAnswer.ImmortalTime, AnalysisEndpoints.Name(q), s.Basis), ct);
    }
}
