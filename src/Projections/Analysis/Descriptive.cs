namespace Timeline.Projections.Analysis;

/// <summary>
/// Descriptive statistics of a sample (ages, follow-up, lines of therapy…) as R computes them:
/// <c>median</c>, <c>min</c>, <c>max</c> and <c>quantile(type = 7)</c> (Hyndman &amp; Fan, The American
/// Statistician 1996; 50:361–365). Inputs need not be sorted and are not modified. An empty sample
/// gives <see langword="null"/> (R: NA, or ±Inf with a warning for min/max). Ties need no special care.
/// </summary>
public static class Descriptive
{
    /// <summary>The median: the middle value, or the average of the two middle values for an even count.</summary>
    /// <param name="values">The sample; precondition: no NaN (throws <see cref="ArgumentException"/>).</param>
    /// <returns>The median; <see langword="null"/> for an empty sample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static double? Median(IReadOnlyList<double> values)
    {
        var sorted = Sorted(values);
        if (sorted.Length == 0)
        {
            return null;
        }

        var half = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    /// <summary>The smallest value.</summary>
    /// <param name="values">The sample; precondition: no NaN.</param>
    /// <returns>The minimum; <see langword="null"/> for an empty sample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static double? Min(IReadOnlyList<double> values)
    {
        var sorted = Sorted(values);
        return sorted.Length == 0 ? null : sorted[0];
    }

    /// <summary>The largest value.</summary>
    /// <param name="values">The sample; precondition: no NaN.</param>
    /// <returns>The maximum; <see langword="null"/> for an empty sample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static double? Max(IReadOnlyList<double> values)
    {
        var sorted = Sorted(values);
        return sorted.Length == 0 ? null : sorted[^1];
    }

    /// <summary>
    /// The sample quantile of R's default type 7: with h = (n − 1)p, the linear interpolation
    /// x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) between order statistics (0-based).
    /// </summary>
    /// <param name="values">The sample; precondition: no NaN.</param>
    /// <param name="probability">p, in [0, 1]: 0 gives the minimum, 1 the maximum.</param>
    /// <returns>The quantile; <see langword="null"/> for an empty sample; the value itself for one value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1].</exception>
    public static double? Quantile(IReadOnlyList<double> values, double probability)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must be in [0, 1].");
        }

        var sorted = Sorted(values);
        return sorted.Length == 0 ? null : Type7(sorted, probability);
    }

    /// <summary>The quartiles (type 7) and the median, as R's <c>quantile(x)</c> middle three values.</summary>
    /// <param name="values">The sample; precondition: no NaN.</param>
    /// <returns>The three quartiles; <see langword="null"/> for an empty sample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static QuartileSummary? Quartiles(IReadOnlyList<double> values)
    {
        var sorted = Sorted(values);
        return sorted.Length == 0
            ? null
            : new QuartileSummary(Type7(sorted, 0.25), Median(sorted)!.Value, Type7(sorted, 0.75));
    }

    // R's quantile.default, type 7: index = 1 + (n - 1)p; qs = (1 - h)·x[lo] + h·x[hi] when they differ.
    private static double Type7(double[] sorted, double probability)
    {
        var index = (sorted.Length - 1) * probability;
        var lo = (int)Math.Floor(index);
        var hi = (int)Math.Ceiling(index);
        var h = index - lo;
        return index > lo && sorted[hi] != sorted[lo] ? ((1 - h) * sorted[lo]) + (h * sorted[hi]) : sorted[lo];
    }

    private static double[] Sorted(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Any(double.IsNaN))
        {
            throw new ArgumentException("Descriptive statistics need values without NaN.", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
