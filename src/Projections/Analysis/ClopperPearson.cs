using MathNet.Numerics.Distributions;

namespace Timeline.Projections.Analysis;

/// <summary>
/// Proportions (response rates and the like) with the exact binomial interval of Clopper &amp; Pearson
/// (Biometrika 1934; 26:404–413), the interval of R's <c>binom.test</c>; see also Agresti &amp; Coull,
/// The American Statistician 1998; 52:119–126, on its conservativeness.
/// </summary>
public static class ClopperPearson
{
    /// <summary>
    /// The exact two-sided interval: lower = Beta⁻¹(α/2; x, n − x + 1), upper = Beta⁻¹(1 − α/2; x + 1, n − x),
    /// α = 1 − level, quantiles from MathNet's <see cref="Beta"/> distribution.
    /// </summary>
    /// <param name="successes">x. Precondition: 0 &lt;= x &lt;= n.</param>
    /// <param name="n">n. Precondition: n &gt;= 1 (R's <c>binom.test</c> refuses n = 0 too).</param>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <returns>
    /// The proportion and its interval. Edge cases as R: x = 0 gives lower exactly 0 (and upper
    /// 1 − (α/2)^(1/n)); x = n gives upper exactly 1 (and lower (α/2)^(1/n)). MathNet inverts the
    /// regularized incomplete beta by root finding to 1e-12 absolute, far inside the 6 significant
    /// digits the study reports.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument breaks its precondition.</exception>
    public static BinomialInterval Interval(int successes, int n, double level = 0.95)
    {
        var proportion = Proportion(successes, n);
        Validate.Level(level);
        var alpha = (1 - level) / 2;
        var lower = successes == 0 ? 0 : Beta.InvCDF(successes, n - successes + 1, alpha);
        var upper = successes == n ? 1 : Beta.InvCDF(successes + 1, n - successes, 1 - alpha);
        return new BinomialInterval(successes, n, proportion, lower, upper, level);
    }

    /// <summary>
    /// The plain proportion x / n (R: <c>binom.test(x, n)$estimate</c>), the maximum-likelihood estimate
    /// of a binomial probability (Agresti, <i>Categorical Data Analysis</i>, 3rd ed., Wiley 2013, ch. 1).
    /// </summary>
    /// <param name="successes">x. Precondition: 0 &lt;= x &lt;= n.</param>
    /// <param name="n">n. Precondition: n &gt;= 1; a proportion of nobody is undefined.</param>
    /// <returns>x / n, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument breaks its precondition.</exception>
    public static double Proportion(int successes, int n)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "A proportion needs at least one subject.");
        }

        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes must be between 0 and n.");
        }

        return (double)successes / n;
    }
}
