using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>
/// tmerge intervals, the Mantel–Byar test and Simon–Makuch curves against R (reference/make-comparisons-reference.R,
/// data set td-exposure), at relative 1e-6.
/// </summary>
public class TimeDependentExposureReferenceTests
{
    static readonly System.Text.Json.JsonElement Case = ComparisonReference.Json.GetProperty("exposure");

    static (IReadOnlyList<ExposureInterval> Rows, IReadOnlyList<string> Dropped) Intervals()
    {
        var id = ComparisonReference.Doubles(Case.GetProperty("id"));
        var time = ComparisonReference.Doubles(Case.GetProperty("time"));
        var status = ComparisonReference.Doubles(Case.GetProperty("status"));
        var start = ReferenceData.Numbers(Case.GetProperty("mtki_start"));
        var subjects = id.Select((v, i) => new ExposureFollowUp(
            ((int)v).ToString(System.Globalization.CultureInfo.InvariantCulture), time[i], status[i] == 1, start[i])).ToList();
        var rows = TimeDependentExposure.Intervals(subjects, out var dropped);
        return (rows, dropped);
    }

    [Fact]
    public void Intervals_are_tmerges()
    {
        var (rows, dropped) = Intervals();
        var expected = Case.GetProperty("intervals");
        var ids = ComparisonReference.Doubles(expected.GetProperty("id"));
        rows.Select(r => r.Id).ShouldBe(ids.Select(v => ((int)v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        rows.Select(r => r.Start).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("tstart")));
        rows.Select(r => r.Stop).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("tstop")));
        rows.Select(r => r.Event ? 1.0 : 0).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("death")));
        rows.Select(r => r.Exposed ? 1.0 : 0).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("mtki")));
        dropped.ShouldBe(["11"]); // OS time 0: tmerge has no interval for it
    }

    [Fact]
    public void Mantel_Byar_is_the_breslow_score_test()
    {
        var (rows, _) = Intervals();
        var fit = Cox.Fit([.. rows.Select(r => new CoxObservation(r.Start, r.Stop, r.Event, [r.Exposed ? 1 : 0]))], ["mtki"], CoxTies.Breslow);
        CoxReferenceTests.Test(fit.Score, Case.GetProperty("mantel_byar"), "Mantel–Byar");
    }

    [Fact]
    public void Simon_Makuch_curves_are_survfit_on_the_intervals()
    {
        var (rows, _) = Intervals();
        foreach (var expected in Case.GetProperty("simon_makuch").EnumerateArray())
        {
            var exposed = expected.GetProperty("mtki").GetDouble() == 1;
            var curve = KaplanMeier.EstimateIntervals([.. rows.Where(r => r.Exposed == exposed).Select(r => new AtRiskInterval(r.Start, r.Stop, r.Event))]);
            var what = exposed ? "exposed" : "unexposed";
            curve.Steps.Select(s => s.Time).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("time")), what);
            curve.Steps.Select(s => (double)s.AtRisk).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("n_risk")), what);
            curve.Steps.Select(s => (double)s.Events).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("n_event")), what);
            curve.Steps.Select(s => (double)s.Censored).ShouldBe(ComparisonReference.Doubles(expected.GetProperty("n_censor")), what);
            var surv = ComparisonReference.Doubles(expected.GetProperty("surv"));
            var se = ComparisonReference.Doubles(expected.GetProperty("std_err"));
            var lower = ReferenceData.Numbers(expected.GetProperty("lower"));
            var upper = ReferenceData.Numbers(expected.GetProperty("upper"));
            for (var i = 0; i < curve.Steps.Count; i++)
            {
                var step = curve.Steps[i];
                step.Survival.ShouldEqualR(surv[i], $"{what} surv[{i}]");
                if (double.IsInfinity(se[i])) step.StdErrLogSurvival.ShouldBe(se[i]);
                else step.StdErrLogSurvival.ShouldEqualR(se[i], $"{what} std.err[{i}]");
                step.Lower.ShouldMatchR(lower[i], $"{what} lower[{i}]");
                step.Upper.ShouldMatchR(upper[i], $"{what} upper[{i}]");
            }
        }
    }
}
