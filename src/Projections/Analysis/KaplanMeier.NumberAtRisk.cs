namespace Timeline.Projections.Analysis;

public static partial class KaplanMeier
{
    /// <summary>
    /// The number-at-risk table printed under a Kaplan–Meier plot: how many subjects are still followed
    /// (follow-up &gt;= t) at each of the given times, as R's
    /// <c>summary(fit, times = times, extend = TRUE)$n.risk</c> (Collett, <i>Modelling Survival Data in
    /// Medical Research</i>, 3rd ed., CRC 2015, ch. 2).
    /// </summary>
    /// <param name="curve">A curve from <see cref="Estimate"/>.</param>
    /// <param name="times">The times, in the curve's unit, in any order; each finite and &gt;= 0.</param>
    /// <returns>
    /// One count per time, in the order given: N at or before the first step; the risk set of the first
    /// step at or after t; 0 after the last step (R drops such times unless <c>extend = TRUE</c>, then
    /// gives 0). An empty curve gives 0 everywhere. Censored subjects count up to and including their
    /// censoring time.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite.</exception>
    public static int[] NumberAtRisk(SurvivalCurve curve, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(times);
        var result = new int[times.Count];
        for (var i = 0; i < times.Count; i++)
        {
            Validate.Time(times[i], nameof(times));
            var step = curve.Steps.FirstOrDefault(s => s.Time >= times[i]);
            result[i] = step?.AtRisk ?? 0;
        }

        return result;
    }

    /// <summary>
    /// The number at risk straight from the observations: <see cref="NumberAtRisk(SurvivalCurve, IReadOnlyList{double})"/>
    /// of their Kaplan–Meier curve (so near-identical times are merged as R's <c>timefix</c> does).
    /// </summary>
    /// <param name="data">The group's observations; an empty group gives 0 everywhere.</param>
    /// <param name="times">The times, each finite and &gt;= 0.</param>
    /// <returns>One count per time, in the order given.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite.</exception>
    public static int[] NumberAtRisk(IReadOnlyList<SurvivalObservation> data, IReadOnlyList<double> times) =>
        NumberAtRisk(Estimate(data), times);
}
