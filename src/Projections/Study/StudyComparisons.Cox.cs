using System.Globalization;
using Timeline.Projections.Analysis;

namespace Timeline.Projections.Study;

public static partial class StudyComparisons
{
    /// <summary>Fewer events per coefficient than this makes Cox estimates unreliable (Peduzzi et al., J Clin Epidemiol 1995; 48:1503–1510).</summary>
    public const int EventsPerVariable = 10;

    /// <summary>
    /// Fits a Cox model for a route: null with a warning when there are no events; a column that is the same for
    /// every row is left out with a warning (R would give NA); warnings for few events per coefficient, no
    /// convergence and coefficients that may be infinite (whose hazard ratio is then not shown).
    /// </summary>
    internal static CoxSummary? FitCox(List<CoxObservation> rows, List<string> names, CoxTies ties, List<string> warnings, string label = "Cox")
    {
        var events = rows.Count(r => r.Event);
        if (rows.Count == 0 || events == 0)
        {
            warnings.Add($"{label}: no deaths, no model");
            return null;
        }

        var keep = Enumerable.Range(0, names.Count).Where(k => rows.Select(r => r.Covariates[k]).Distinct().Skip(1).Any()).ToList();
        foreach (var k in Enumerable.Range(0, names.Count).Except(keep))
        {
            warnings.Add($"{label}: {names[k]} is the same for every patient, left out");
        }

        if (keep.Count == 0 || !keep.Contains(0))
        {
            warnings.Add($"{label}: no model, {names[0]} does not vary");
            return null;
        }

        List<CoxObservation> kept = [.. rows.Select(r => r with { Covariates = [.. keep.Select(k => r.Covariates[k])] })];
        List<string> keptNames = [.. keep.Select(k => names[k])];
        var fit = Cox.Fit(kept, keptNames, ties);
        if (fit.Terms.Any(t => !(t.StdErr > 0) || !double.IsFinite(t.StdErr)) || double.IsNaN(fit.LikelihoodRatio.ChiSquare))
        {
            warnings.Add($"{label}: no model, the information matrix is singular (e.g. no death with both groups at risk)");
            return null;
        }

        if (events < EventsPerVariable * keep.Count)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {events} deaths for {keep.Count} coefficient(s), fewer than {EventsPerVariable} per coefficient: the estimates may be unstable"));
        }

        if (!fit.Converged) warnings.Add($"{label}: did not converge in {Cox.MaxIterations} iterations");
        const string infinite = "coefficient may be infinite (the likelihood kept rising, e.g. no deaths in one group): no hazard ratio";
        foreach (var name in fit.InfiniteTerms) warnings.Add($"{label}: {name} {infinite}");
        var terms = fit.Terms.Select(t => fit.InfiniteTerms.Contains(t.Name)
            ? new CoxTermSummary(t.Name, t.Coef, null, t.StdErr, t.Z, t.P, null, null, infinite)
            : new CoxTermSummary(t.Name, t.Coef, t.HazardRatio, t.StdErr, t.Z, t.P, t.Lower, t.Upper, null)).ToList();
        // A factor's level columns ("histology=9040/3", …) form one term, as R's terms = TRUE.
        var byTerm = keptNames.Select((name, column) => (Term: name.Split('=')[0], Column: column))
            .GroupBy(c => c.Term).Select(g => (g.Key, (IReadOnlyList<int>)[.. g.Select(c => c.Column)])).ToList();
        var proportional = Cox.ProportionalHazards(kept, fit, byTerm);
        if (proportional.Any(t => !double.IsFinite(t.ChiSquare))) proportional = null;
        else
        {
            warnings.AddRange(proportional.Where(t => t.P < 0.05).Select(t => string.Create(CultureInfo.InvariantCulture,
                $"{label}: proportional hazards doubtful for {t.Term} (cox.zph p = {t.P:0.###})")));
        }

        return new CoxSummary(ties.ToString().ToLowerInvariant(), terms, fit.LikelihoodRatio, fit.Wald, fit.Score,
            double.IsNaN(fit.Concordance) ? null : fit.Concordance, double.IsNaN(fit.ConcordanceStdErr) ? null : fit.ConcordanceStdErr,
            fit.N, fit.Events, fit.Iterations, proportional);
    }
}
