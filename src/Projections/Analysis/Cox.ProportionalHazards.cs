using MathNet.Numerics.LinearAlgebra;

namespace Timeline.Projections.Analysis;

/// <summary>The test that one term's hazard ratio does not change with time.</summary>
/// <param name="Term">The term (a factor's columns together), or "GLOBAL" for all of them.</param>
public sealed record ProportionalHazardsTest(string Term, double ChiSquare, int Df, double P);

public static partial class Cox
{
    /// <summary>
    /// The proportional-hazards test of a fitted model as R's <c>cox.zph(fit, transform = "km", terms = TRUE)</c>
    /// (survival ≥ 3.0): the score test, at β̂ and θ = 0, of adding x·g(t) for each term, g(t) = 1 − S(t−) of the
    /// pooled Kaplan–Meier, centred on its mean over the events (Grambsch &amp; Therneau, Biometrika 1994;
    /// 81:515–526; Therneau &amp; Grambsch 2000, §6.2).
    /// </summary>
    /// <param name="data">The rows the model was fitted on.</param>
    /// <param name="fit">The fit of <paramref name="data"/>.</param>
    /// <param name="terms">Each term's name and its columns (0-based); e.g. a factor's level columns together.</param>
    /// <returns>One test per term (df = its columns), then the global test (df = all columns).</returns>
    /// <remarks>The score of β at β̂ is taken as 0, as R does. No events: every chi-square 0.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyList<ProportionalHazardsTest> ProportionalHazards(
        IReadOnlyList<CoxObservation> data, CoxFit fit, IReadOnlyList<(string Name, IReadOnlyList<int> Columns)> terms)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(terms);
        var p = fit.Terms.Count;
        var design = new Design(data, p);
        var g = KmTime(data);
        var at = Evaluate(design, [.. fit.Terms.Select(t => t.Coef)], fit.Ties, g);

        // The 2p × 2p information of (x, x·g) and the score (0, U_θ).
        var information = Matrix<double>.Build.Dense(2 * p, 2 * p, (r, c) =>
            r < p && c < p ? at.Information[r, c]
            : r < p ? at.Cross![r, c - p]
            : c < p ? at.Cross![c, r - p]
            : at.TimeInformation![r - p, c - p]);
        var score = Vector<double>.Build.Dense(2 * p, k => k < p ? 0 : at.TimeScore![k - p]);

        double Test(IReadOnlyList<int> columns)
        {
            var keep = Enumerable.Range(0, p).Concat(columns.Select(c => c + p)).ToArray();
            var m = Matrix<double>.Build.Dense(keep.Length, keep.Length, (r, c) => information[keep[r], keep[c]]);
            var u = Vector<double>.Build.Dense(keep.Length, k => score[keep[k]]);
            return u.DotProduct(m.Solve(u));
        }

        var results = terms.Select(t => Of(t.Name, Test(t.Columns), t.Columns.Count)).ToList();
        results.Add(Of("GLOBAL", Test([.. Enumerable.Range(0, p)]), p));
        return results;

        static ProportionalHazardsTest Of(string name, double chiSquare, int df)
        {
            var test = ChiSquareTest.Of(chiSquare, df);
            return new ProportionalHazardsTest(name, test.ChiSquare, test.Df, test.P);
        }
    }

    /// <summary>g(t) = 1 − S(t−) of the pooled KM, minus its mean over the event rows (R's "km" transform).</summary>
    static Func<double, double> KmTime(IReadOnlyList<CoxObservation> data)
    {
        var curve = data.All(r => double.IsNegativeInfinity(r.Start))
            ? KaplanMeier.Estimate([.. data.Select(r => new SurvivalObservation(r.Stop, r.Event))])
            : KaplanMeier.EstimateIntervals([.. data.Select(r => new AtRiskInterval(r.Start, r.Stop, r.Event))]);
        var times = curve.Steps.Select(s => s.Time).ToArray();
        double Transformed(double t)
        {
            // The last step strictly before t (findInterval with left.open).
            var index = Array.BinarySearch(times, t);
            var before = index >= 0 ? index - 1 : ~index - 1;
            return 1 - (before < 0 ? 1 : curve.Steps[before].Survival);
        }

        var centre = data.Where(r => r.Event).Select(r => Transformed(r.Stop)).Average();
        return t => Transformed(t) - centre;
    }
}
