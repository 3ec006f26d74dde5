namespace Timeline.Projections.Analysis;

/// <summary>A restricted mean survival time: the area under S from 0 to tau, with its standard error.</summary>
public sealed record RestrictedMean(double Tau, double Mean, double StdErr);

public static partial class KaplanMeier
{
    /// <summary>
    /// The restricted mean survival time to <paramref name="tau"/>, as R's <c>print(survfit(...), rmean = tau)</c>
    /// (<c>survival:::survmean</c>; Irwin, JRSS A 1949; 112:197; Royston &amp; Parmar, BMC Med Res Methodol
    /// 2013; 13:152; Therneau &amp; Grambsch 2000, §2.1).
    /// </summary>
    /// <param name="curve">A curve from <see cref="Estimate"/> (times &gt;= 0).</param>
    /// <param name="tau">The horizon, finite and &gt; 0; beyond the last time the last S is carried forward.</param>
    /// <returns>
    /// Mean = Σ rectangles of S on [0, tau]; variance = Σ over steps at or before tau of A(t)²·d/(n(n−d)), A(t) the
    /// area from t to tau, a step where everyone at risk dies adding 0 (R's rule).
    /// </returns>
    /// <remarks>An empty curve or no step before tau: mean tau, se 0.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is not finite and positive.</exception>
    public static RestrictedMean RestrictedMeanTo(SurvivalCurve curve, double tau)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (!double.IsFinite(tau) || tau <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be finite and positive.");
        }

        var kept = curve.Steps.Where(s => s.Time <= tau).ToList();
        // Rectangles: [0, t1) at S = 1, then [t_i, t_i+1) at S(t_i), the last one ending at tau.
        var times = kept.Select(s => s.Time).Append(tau).ToList();
        var rectangles = new double[times.Count];
        double previousTime = 0, previousSurvival = 1;
        for (var i = 0; i < times.Count; i++)
        {
            rectangles[i] = (times[i] - previousTime) * previousSurvival;
            previousTime = times[i];
            if (i < kept.Count) previousSurvival = kept[i].Survival;
        }

        double variance = 0, areaAfter = 0;
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            areaAfter += rectangles[i + 1];
            double n = kept[i].AtRisk, d = kept[i].Events;
            var hazardVariance = n - d == 0 ? 0 : d / (n * (n - d));
            variance += areaAfter * areaAfter * hazardVariance;
        }

        return new RestrictedMean(tau, rectangles.Sum(), Math.Sqrt(variance));
    }

    /// <summary>
    /// Median follow-up by the reverse Kaplan–Meier method: censoring is the "event" and deaths are censored,
    /// R's <c>survfit(Surv(time, 1 - status) ~ 1)</c> median (Schemper &amp; Smith, Control Clin Trials 1996; 17:343–346).
    /// </summary>
    /// <param name="data">The observations (time, death); preconditions as <see cref="Estimate"/>.</param>
    /// <returns>The median and its 95% limits; missing when fewer than half were censored along the way.</returns>
    public static SurvivalQuantile MedianFollowUp(IReadOnlyList<SurvivalObservation> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Median(Estimate([.. data.Select(o => o with { Event = !o.Event })]));
    }
}

/// <summary>
/// The difference of two restricted means to the same tau: se = sqrt(se1² + se2²), a normal confidence interval
/// and a two-sided p (Royston &amp; Parmar, BMC Med Res Methodol 2013; 13:152).
/// </summary>
public sealed record RestrictedMeanDifference(double Tau, double Difference, double StdErr, double Lower, double Upper, double P)
{
    /// <summary>first − second.</summary>
    /// <param name="first">RMST of the first group.</param>
    /// <param name="second">RMST of the second group, to the same tau.</param>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <remarks>Both se 0 (no events before tau): p is 1 when the means are equal, else 0; the interval is the point.</remarks>
    /// <exception cref="ArgumentException">The two taus differ.</exception>
    public static RestrictedMeanDifference Of(RestrictedMean first, RestrictedMean second, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        Validate.Level(level);
        if (first.Tau != second.Tau) throw new ArgumentException("Both means need the same tau.", nameof(second));
        var difference = first.Mean - second.Mean;
        var se = Math.Sqrt((first.StdErr * first.StdErr) + (second.StdErr * second.StdErr));
        var z = ConfidenceLimits.Z(level);
        var p = se > 0 ? 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(difference / se)) : (difference == 0 ? 1 : 0);
        return new RestrictedMeanDifference(first.Tau, difference, se, difference - (z * se), difference + (z * se), p);
    }
}
