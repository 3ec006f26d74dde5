using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

/// <summary>The stratified, weighted log-rank test of the naive groups; observed and expected are weighted when rho ≠ 0.</summary>
public sealed record StratifiedLogRankReport(
    double Rho, IReadOnlyList<string> Strata, int StrataCount, IReadOnlyList<string> Groups, IReadOnlyList<int> N,
    IReadOnlyList<double> Observed, IReadOnlyList<double> Expected, ChiSquareTest? Test, IReadOnlyList<Exclusion> Excluded, IReadOnlyList<string> Warnings);

public static partial class StudyComparisons
{
    /// <summary>The factors a log-rank test may be stratified by.</summary>
    public static readonly IReadOnlyList<string> StrataFactors = [CoxCovariates.Sex, CoxCovariates.Metastatic, CoxCovariates.Histology];

    /// <summary>
    /// OS after the anchor, mtki against control (naive grouping), with R's
    /// <c>survdiff(Surv(time, status) ~ group + strata(…), rho = rho)</c>: one stratum per combination of the
    /// factors' values (Harrington &amp; Fleming, Biometrika 1982; 69:553–566).
    /// </summary>
    /// <param name="outcomes">The cohort shown.</param>
    /// <param name="unit">Unit of the times (the test does not depend on it).</param>
    /// <param name="rho">The G-rho weight exponent, finite.</param>
    /// <param name="strata">Names from <see cref="StrataFactors"/>; empty: one stratum.</param>
    /// <remarks>A patient with an unknown stratum value is left out (a warning names them); an empty group: no test.</remarks>
    public static StratifiedLogRankReport StratifiedLogRank(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit, double rho, IReadOnlyList<string> strata)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(strata);
        var warnings = new List<string>();
        var excluded = outcomes.Where(o => o.ExclusionReason is not null).Select(o => new Exclusion(o.PatientId, o.ExclusionReason!))
            .OrderBy(e => e.PatientId, StringComparer.Ordinal).ToList();
        string? Key(PatientOutcome o)
        {
            var parts = new List<string>();
            foreach (var factor in StrataFactors.Where(strata.Contains))
            {
                string? value = factor switch
                {
                    CoxCovariates.Sex => o.Sex is null or Events.Sex.Unknown ? null : o.Sex.ToString(),
                    CoxCovariates.Metastatic => o.Metastatic?.ToString(),
                    _ => o.Histology,
                };
                if (value is null) return null;
                parts.Add(value);
            }

            return string.Join('|', parts);
        }

        var data = new List<(double Time, bool Event, int Group, int Stratum)>();
        var stratumIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in Compared(outcomes).OrderBy(o => o.PatientId, StringComparer.Ordinal))
        {
            var key = Key(o);
            if (key is null)
            {
                warnings.Add($"{o.PatientId}: a stratum value is unknown, left out of the test");
                continue;
            }

            if (!stratumIndex.TryGetValue(key, out var s)) stratumIndex[key] = s = stratumIndex.Count;
            data.Add((TimeUnits.FromDays(o.OverallSurvival!.Days, unit), o.OverallSurvival.Event, o.Group == "mtki" ? 0 : 1, s));
        }

        var groups = StudyAnalyses.SurvivalGroups;
        var n = groups.Select((_, g) => data.Count(d => d.Group == g)).ToList();
        if (n.Any(c => c == 0))
        {
            warnings.Add("no test: a group has no patients");
            return new StratifiedLogRankReport(rho, [.. StrataFactors.Where(strata.Contains)], stratumIndex.Count, groups, n, [], [], null, excluded, warnings);
        }

        var result = LogRank.Test(data, rho);
        return new StratifiedLogRankReport(rho, [.. StrataFactors.Where(strata.Contains)], stratumIndex.Count, groups, n,
            result.Observed, result.Expected, new ChiSquareTest(result.ChiSquare, result.Df, result.P), excluded, warnings);
    }
}
