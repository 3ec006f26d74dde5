using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>
/// The documented edge cases and preconditions that R cannot serve as a reference for (it refuses
/// empty groups), and closed forms from the textbook definitions, each compared exactly or at 1e-12.
/// </summary>
public class EdgeCaseTests
{
    private static readonly SurvivalObservation[] Empty = [];

    [Fact]
    public void An_empty_group_has_no_steps_no_median_and_no_one_at_risk()
    {
        var curve = KaplanMeier.Estimate(Empty);

        curve.N.ShouldBe(0);
        curve.Events.ShouldBe(0);
        curve.Steps.ShouldBeEmpty();
        KaplanMeier.Median(curve).ShouldBe(new SurvivalQuantile(0.5, null, null, null));
        KaplanMeier.Quantile(curve, 0.25).ShouldBe(new SurvivalQuantile(0.25, null, null, null));
        KaplanMeier.NumberAtRisk(curve, [0, 10]).ShouldBe([0, 0]);
    }

    [Fact]
    public void Hand_computed_curve_with_a_tie_and_a_censoring_at_an_event_time()
    {
        // Kaplan & Meier (1958): n = 5; events at 1, 1 (tie), 3; a censoring at 3 is in the risk set of 3.
        SurvivalObservation[] data = [new(1, true), new(1, true), new(3, true), new(3, false), new(4, false)];

        var steps = KaplanMeier.Estimate(data).Steps;

        steps.Select(s => (s.Time, s.AtRisk, s.Events, s.Censored)).ShouldBe([(1, 5, 2, 0), (3, 3, 1, 1), (4, 1, 0, 1)]);
        steps[0].Survival.ShouldBe(3.0 / 5, 1e-15);
        steps[1].Survival.ShouldBe(3.0 / 5 * 2 / 3, 1e-15);
        steps[1].StdErrLogSurvival.ShouldBe(Math.Sqrt((2.0 / (5 * 3)) + (1.0 / (3 * 2))), 1e-15);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Invalid_times_are_refused(double time)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => KaplanMeier.Estimate([new SurvivalObservation(time, true)]));
        Should.Throw<ArgumentOutOfRangeException>(() => LogRank.Test([(time, true, 1), (1.0, true, 2)]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Levels_outside_the_open_unit_interval_are_refused(double level)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => KaplanMeier.Estimate([new SurvivalObservation(1, true)], level: level));
        Should.Throw<ArgumentOutOfRangeException>(() => ClopperPearson.Interval(1, 2, level));
    }

    [Fact]
    public void Quantile_probability_must_be_strictly_between_zero_and_one()
    {
        var curve = KaplanMeier.Estimate([new SurvivalObservation(1, true)]);

        Should.Throw<ArgumentOutOfRangeException>(() => KaplanMeier.Quantile(curve, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => KaplanMeier.Quantile(curve, 1));
    }

    [Fact]
    public void Log_rank_needs_two_groups()
    {
        Should.Throw<ArgumentException>(() => LogRank.Test([(1.0, true, 1), (2.0, true, 1)]));
        Should.Throw<ArgumentException>(() => LogRank.Test([(IReadOnlyList<SurvivalObservation>)[new(1, true)]]));
    }

    [Fact]
    public void Log_rank_with_no_events_has_no_test()
    {
        var result = LogRank.Test([(1.0, false, 1), (2.0, false, 2)]);

        result.Expected.ShouldBe([0.0, 0.0]);
        result.ChiSquare.ShouldBe(0);
        result.Df.ShouldBe(0);
        result.P.ShouldBe(1);
    }

    [Fact]
    public void An_empty_group_leaves_the_log_rank_test_and_its_degrees_of_freedom()
    {
        IReadOnlyList<SurvivalObservation> a = [new(1, true), new(3, true), new(4, false)];
        IReadOnlyList<SurvivalObservation> b = [new(2, true), new(2, true), new(5, true)];

        var withEmpty = LogRank.Test([a, Empty, b]);
        var without = LogRank.Test([a, b]);

        withEmpty.N.ShouldBe([3, 0, 3]);
        withEmpty.Expected[1].ShouldBe(0);
        withEmpty.Df.ShouldBe(1);
        withEmpty.ChiSquare.ShouldBe(without.ChiSquare, 1e-12);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 10)]
    [InlineData(0, 1)]
    public void Clopper_Pearson_edges_have_closed_forms(int x, int n)
    {
        var interval = ClopperPearson.Interval(x, n);

        // Clopper & Pearson (1934): with x = 0 the upper limit solves (1 - p)^n = α/2, and symmetrically.
        var closedForm = 1 - Math.Pow(0.025, 1.0 / n);
        if (x == 0)
        {
            interval.Lower.ShouldBe(0);
            interval.Upper.ShouldBe(closedForm, 1e-12);
        }
        else
        {
            interval.Upper.ShouldBe(1);
            interval.Lower.ShouldBe(1 - closedForm, 1e-12);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(-1, 5)]
    [InlineData(6, 5)]
    public void Proportions_need_a_denominator_and_a_count_within_it(int x, int n) =>
        Should.Throw<ArgumentOutOfRangeException>(() => ClopperPearson.Interval(x, n));

    [Fact]
    public void Descriptive_statistics_of_nothing_are_missing()
    {
        double[] none = [];

        Descriptive.Median(none).ShouldBeNull();
        Descriptive.Min(none).ShouldBeNull();
        Descriptive.Max(none).ShouldBeNull();
        Descriptive.Quantile(none, 0.5).ShouldBeNull();
        Descriptive.Quartiles(none).ShouldBeNull();
        Should.Throw<ArgumentException>(() => Descriptive.Median([1, double.NaN]));
    }

    [Theory]
    [InlineData(30.4375, TimeUnit.Months, 1)]
    [InlineData(365.25, TimeUnit.Months, 12)]
    [InlineData(14, TimeUnit.Weeks, 2)]
    [InlineData(91, TimeUnit.Days, 91)]
    public void Days_convert_with_a_month_of_365_25_over_12_days(double days, TimeUnit unit, double expected)
    {
        TimeUnits.FromDays(days, unit).ShouldBe(expected, 1e-15);
        TimeUnits.ToDays(expected, unit).ShouldBe(days, 1e-12);
    }
}
