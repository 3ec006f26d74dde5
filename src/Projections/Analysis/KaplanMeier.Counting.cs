namespace Timeline.Projections.Analysis;

public static partial class KaplanMeier
{
    /// <summary>
    /// The product-limit estimate on counting-process data, as R's
    /// <c>survfit(Surv(tstart, tstop, status) ~ 1)</c>: subjects may enter late and move between curves,
    /// which is how Simon–Makuch curves are drawn (Simon &amp; Makuch, Stat Med 1984; 3:35–44; Therneau
    /// &amp; Grambsch 2000, §3.7).
    /// </summary>
    /// <param name="data">The intervals, any order. Preconditions: finite times, start &lt; stop.</param>
    /// <param name="conf">Confidence limits; R's default is <see cref="ConfidenceType.Log"/>.</param>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <returns>
    /// One step per distinct stop time (an entry alone makes no step), with the same columns as
    /// <see cref="Estimate"/>: at risk = intervals with start &lt; t ≤ stop; an interval that ends
    /// without the event (also one that ends because the subject moves to the other curve) counts as
    /// censored at its stop; Greenwood's variance and the limits as for right-censored data.
    /// <see cref="SurvivalCurve.N"/> counts intervals, as R's <c>n</c>.
    /// </returns>
    /// <remarks>
    /// Edge cases as <see cref="Estimate"/>: an empty list gives no steps; once S reaches 0 it stays 0
    /// with se +∞ and missing limits, also when later entrants die (R does the same). Times are used as
    /// given (no <c>timefix</c>; whole days in a unit give equal doubles for equal days).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is not finite, start ≥ stop, or the level is outside (0, 1).</exception>
    public static SurvivalCurve EstimateIntervals(
        IReadOnlyList<AtRiskInterval> data,
        ConfidenceType conf = ConfidenceType.Log,
        double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate.Level(level);
        foreach (var row in data)
        {
            if (!double.IsFinite(row.Start) || !double.IsFinite(row.Stop) || !(row.Start < row.Stop))
            {
                throw new ArgumentOutOfRangeException(nameof(data), row, "Intervals need finite times with start < stop.");
            }
        }

        var starts = data.Select(r => r.Start).Order().ToArray();
        var stops = data.Select(r => r.Stop).Order().ToArray();
        var curve = new ProductLimit(conf, ConfidenceLimits.Z(level));
        foreach (var group in data.GroupBy(r => r.Stop).OrderBy(g => g.Key))
        {
            var time = group.Key;
            // start < t <= stop: (rows with stop >= t) minus (rows with start >= t, whose stop is later still).
            var atRisk = CountAtLeast(stops, time) - CountAtLeast(starts, time);
            var events = group.Count(r => r.Event);
            curve.Step(time, atRisk, events, group.Count() - events);
        }

        return new SurvivalCurve(data.Count, curve.Events, conf, level, curve.Steps);
    }

    static int CountAtLeast(double[] sorted, double t)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid] < t) low = mid + 1; else high = mid;
        }

        return sorted.Length - low;
    }
}
