namespace Timeline.Projections.Analysis;

/// <summary>
/// The Kaplan–Meier product-limit estimator with Greenwood's variance, matching R's
/// <c>survival::survfit(Surv(time, status) ~ 1)</c> (Kaplan &amp; Meier, JASA 1958; 53:457–481;
/// Greenwood, Reports on Public Health and Medical Subjects 33, 1926; Therneau &amp; Grambsch,
/// <i>Modeling Survival Data</i>, Springer 2000, ch. 2).
/// </summary>
public static partial class KaplanMeier
{
    /// <summary>
    /// Estimates the survival curve of one group.
    /// </summary>
    /// <param name="data">
    /// The group's observations, in any order. Precondition: every time finite and &gt;= 0.
    /// </param>
    /// <param name="conf">Confidence limits to attach; R's default is <see cref="ConfidenceType.Log"/>.</param>
    /// <param name="level">Confidence level, strictly between 0 and 1 (R: <c>conf.int = 0.95</c>).</param>
    /// <returns>
    /// One step per distinct time with an event or a censoring, as R's <c>survfit</c> (censoring-only
    /// times included; <c>summary(fit)</c> would show event times only). At each step with d events
    /// among n at risk, S ← S·(n−d)/n and var(log S) ← var + d/(n(n−d)).
    /// </returns>
    /// <remarks>
    /// Edge cases, all as R:
    /// <list type="bullet">
    /// <item>Empty <paramref name="data"/>: a curve with N = 0 and no steps (R refuses to fit it).</item>
    /// <item>All censored: S = 1 and se 0 at every step; log and plain limits are 1, log-log limits are
    /// <see langword="null"/> (R: NA).</item>
    /// <item>Ties: events at the same time form one step (d &gt; 1); censorings at an event time are in
    /// its risk set. Times that differ by less than R's <c>timefix</c> tolerance (sqrt of machine
    /// epsilon, absolutely or relative to the mean time) are merged first, like <c>aeqSurv</c>.</item>
    /// <item>Last subject(s) with an event: S reaches 0, the standard error of log S is +∞, the standard
    /// error of S is NaN and both limits are <see langword="null"/> (R: NA, or NaN for plain).</item>
    /// </list>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite, or the level is outside (0, 1).</exception>
    public static SurvivalCurve Estimate(
        IReadOnlyList<SurvivalObservation> data,
        ConfidenceType conf = ConfidenceType.Log,
        double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate.Level(level);
        foreach (var observation in data)
        {
            Validate.Time(observation.Time, nameof(data));
        }

        var (times, order) = TimeFix.ApplyAndOrder(data.Select(o => o.Time).ToArray());
        var curve = new ProductLimit(conf, ConfidenceLimits.Z(level));
        var position = 0;
        while (position < order.Length)
        {
            var time = times[order[position]];
            var atRisk = order.Length - position;
            int events = 0, censored = 0;
            for (; position < order.Length && times[order[position]] == time; position++)
            {
                if (data[order[position]].Event)
                {
                    events++;
                }
                else
                {
                    censored++;
                }
            }

            curve.Step(time, atRisk, events, censored);
        }

        return new SurvivalCurve(data.Count, curve.Events, conf, level, curve.Steps);
    }

    /// <summary>
    /// The product-limit recursion both estimators share: at a time with d events among n at risk,
    /// S ← S·(n−d)/n and var(log S) ← var + d/(n(n−d)) (Greenwood), then the step with its limits.
    /// </summary>
    sealed class ProductLimit(ConfidenceType conf, double z)
    {
        double survival = 1, varianceLog;

        public List<SurvivalStep> Steps { get; } = [];
        public int Events { get; private set; }

        public void Step(double time, int atRisk, int events, int censored)
        {
            if (events > 0)
            {
                double n = atRisk, d = events;
                survival *= (n - d) / n;
                varianceLog += d / (n * (n - d));
                Events += events;
            }

            var stdErrLog = Math.Sqrt(varianceLog);
            var (lower, upper) = ConfidenceLimits.For(survival, stdErrLog, conf, z);
            Steps.Add(new SurvivalStep(time, atRisk, events, censored, survival, stdErrLog, survival * stdErrLog, lower, upper));
        }
    }
}
