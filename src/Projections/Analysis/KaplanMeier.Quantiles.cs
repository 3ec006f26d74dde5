namespace Timeline.Projections.Analysis;

public static partial class KaplanMeier
{
    /// <summary>
    /// Median survival and its confidence interval as R prints them (<c>print(fit)</c>,
    /// <c>summary(fit)$table</c>, i.e. <c>survival:::survmean</c>).
    /// </summary>
    /// <param name="curve">A curve from <see cref="Estimate"/>; the interval uses its confidence type and level.</param>
    /// <returns>
    /// <list type="bullet">
    /// <item>Median: the first step time where S &lt;= 0.5 (to within sqrt(machine epsilon)). Where S is
    /// exactly 0.5 on an interval, the midpoint of that step and the next event time (e.g. events at
    /// 1, 2, 3, 4 among 4: median 2.5). If S stays at 0.5 to the end of follow-up, the step time itself.</item>
    /// <item>Lower limit: the same rule applied to the lower confidence curve, which falls first; upper
    /// limit: applied to the upper confidence curve (Brookmeyer &amp; Crowley, Biometrics 1982;
    /// 38:29–41). Missing confidence points (S = 0) are skipped.</item>
    /// <item>Each is <see langword="null"/> when its curve never falls to 0.5: a group with few events,
    /// an empty group, or one where all are censored.</item>
    /// </list>
    /// Use <see cref="Quantile"/> for R's <c>quantile(fit)</c>, which differs in two corner cases.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    public static SurvivalQuantile Median(SurvivalCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var times = curve.Steps.Select(s => s.Time).ToArray();
        return new SurvivalQuantile(
            0.5,
            QuantileSearch.FirstAtOrBelowHalf(times, [.. curve.Steps.Select(s => s.Survival)]),
            QuantileSearch.FirstAtOrBelowHalf(times, [.. curve.Steps.Select(s => s.Lower ?? double.NaN)]),
            QuantileSearch.FirstAtOrBelowHalf(times, [.. curve.Steps.Select(s => s.Upper ?? double.NaN)]));
    }

    /// <summary>
    /// A survival quantile and its confidence interval as R's <c>quantile(fit, probs = p)</c>
    /// (<c>survival:::quantile.survfit</c> / <c>doquant</c> / <c>findq</c>).
    /// </summary>
    /// <param name="curve">A curve from <see cref="Estimate"/>; the interval uses its confidence type and level.</param>
    /// <param name="probability">
    /// The fraction of events p, strictly between 0 and 1: the time where S first falls to 1 − p
    /// (0.5 gives the median, 0.25 the time by which a quarter have had the event).
    /// </param>
    /// <returns>
    /// The first time S &lt;= 1 − p (within sqrt(machine epsilon)); where S equals 1 − p on an interval, the
    /// midpoint of its start and the time S next falls; where S equals 1 − p until the end of the curve,
    /// the midpoint of its start and the last time (censored or not). The limits apply the same search
    /// to the lower and upper confidence curves. Two differences from <see cref="Median"/>, both R's:
    /// the curve-ends-at-1 − p case (e.g. events at 1, 2 and censorings at 3, 4: <see cref="Median"/>
    /// gives 2, this gives 3); and on a confidence curve that rises again (the upper log limit can, with
    /// few at risk), R takes the time of the largest value at or below 1 − p rather than the first.
    /// <see langword="null"/> where the curve never falls that far, and for an empty curve.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not strictly between 0 and 1.</exception>
    public static SurvivalQuantile Quantile(SurvivalCurve curve, double probability)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (!(probability > 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must be strictly between 0 and 1.");
        }

        if (curve.Steps.Count == 0)
        {
            return new SurvivalQuantile(probability, null, null, null);
        }

        // R's doquant: x = (start time 0, step times), y = (0, 1 - curve).
        double[] x = [0, .. curve.Steps.Select(s => s.Time)];
        double? Search(Func<SurvivalStep, double?> point) =>
            QuantileSearch.Find(x, [0, .. curve.Steps.Select(s => 1 - (point(s) ?? double.NaN))], probability);

        return new SurvivalQuantile(
            probability,
            Search(s => s.Survival),
            Search(s => s.Lower),
            Search(s => s.Upper));
    }
}
