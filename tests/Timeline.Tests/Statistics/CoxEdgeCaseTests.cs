using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>Cox edge cases R cannot be asked about the same way, and the cost at registry size.</summary>
public class CoxEdgeCaseTests
{
    [Fact]
    public void No_events_leave_beta_at_zero_with_no_concordance()
    {
        var fit = Cox.Fit([CoxObservation.RightCensored(1, false, 0), CoxObservation.RightCensored(2, false, 1)], ["x"]);
        fit.Terms[0].Coef.ShouldBe(0);
        fit.LikelihoodRatio.ChiSquare.ShouldBe(0);
        double.IsNaN(fit.Concordance).ShouldBeTrue();
    }

    [Fact]
    public void A_hundred_thousand_rows_fit()
    {
        // Seeded synthetic data at registry size. The concordance and the sweep are O(n log n); the benchmark times
        // them (an O(n²) concordance would hold this test for minutes, not fail it: times are not asserted here).
        var random = new Random(20261204);
        var rows = Enumerable.Range(0, 100_000).Select(_ =>
        {
            var x = random.Next(2);
            var time = Math.Ceiling(-Math.Log(random.NextDouble()) * (x == 1 ? 300 : 200));
            return CoxObservation.RightCensored(time, random.NextDouble() < 0.7, x, random.NextDouble());
        }).ToList();

        var fit = Cox.Fit(rows, ["x", "u"]);

        fit.Converged.ShouldBeTrue();
        fit.Terms[0].Coef.ShouldBeLessThan(0); // longer times for x = 1: a lower hazard
        fit.Concordance.ShouldBeInRange(0.5, 0.7);
    }
}
