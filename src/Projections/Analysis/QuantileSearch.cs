namespace Timeline.Projections.Analysis;

/// <summary>
/// Ports of the two places where R's <c>survival</c> package reads a time off a step curve. A missing
/// point of a confidence curve is NaN here (R's NA).
/// </summary>
internal static class QuantileSearch
{
    /// <summary>
    /// <c>survival:::survmean</c>'s <c>minmin</c>, used by <c>print.survfit</c> and
    /// <c>summary(fit)$table</c> for the median and its limits: the first time with y &lt; 0.5 + tol; if
    /// y is 0.5 there (within tol) and falls lower later, the midpoint of that time and the first time
    /// y falls below it. Missing points are skipped.
    /// </summary>
    internal static double? FirstAtOrBelowHalf(IReadOnlyList<double> times, IReadOnlyList<double> y)
    {
        var tol = TimeFix.Tolerance;
        var keptTimes = new List<double>();
        var keptY = new List<double>();
        for (var i = 0; i < y.Count; i++)
        {
            if (!double.IsNaN(y[i]) && y[i] < 0.5 + tol)
            {
                keptTimes.Add(times[i]);
                keptY.Add(y[i]);
            }
        }

        if (keptY.Count == 0)
        {
            return null;
        }

        if (Math.Abs(keptY[0] - 0.5) < tol)
        {
            var lower = keptY.FindIndex(v => v < keptY[0]);
            if (lower >= 0)
            {
                return (keptTimes[0] + keptTimes[lower]) / 2;
            }
        }

        return keptTimes[0];
    }

    /// <summary>
    /// <c>survival:::findq</c>, used by <c>quantile.survfit</c> through <c>doquant</c>: x = (0, times),
    /// y = (0, 1 − curve), p the probability. Kept literally, including two quirks: points are
    /// searched in order of y (R's <c>approx</c> sorts), so on a non-monotone confidence curve the answer
    /// is the time of the smallest y &gt;= p, not the first; and where the curve ends exactly at 1 − p
    /// the answer is the midpoint of where it got there and the last time of the curve.
    /// </summary>
    internal static double? Find(IReadOnlyList<double> x, IReadOnlyList<double> y, double p)
    {
        var tol = TimeFix.Tolerance;
        if (!y.Any(v => !double.IsNaN(v) && v >= p))
        {
            return null;
        }

        var xmax = x[^1];

        // duplicated(y): keep the first of each value, NA counting as one value.
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < y.Count; i++)
        {
            var seen = double.IsNaN(y[i]) ? ys.Any(double.IsNaN) : ys.Contains(y[i]);
            if (!seen)
            {
                xs.Add(x[i]);
                ys.Add(y[i]);
            }
        }

        var index1 = ApproxConstantRight(ys, tol, p);
        var index2 = ApproxConstantRight(ys, -tol, p);
        double? quantile = index1 is { } i1 && index2 is { } i2 ? (xs[i1] + xs[i2]) / 2 : null;

        var last = ys[^1];
        if (!double.IsNaN(last) && Math.Abs(p - last) < tol && index1 is { } first)
        {
            quantile = (xs[first] + xmax) / 2;
        }

        return quantile;
    }

    /// <summary>
    /// <c>approx(y + shift, seq_along(y), p, method = "constant", f = 1)$y</c> with R's defaults
    /// (NA pairs dropped, points sorted by abscissa, NA outside the range): the index of the smallest
    /// y + shift that is &gt;= p.
    /// </summary>
    private static int? ApproxConstantRight(List<double> ys, double shift, double p)
    {
        var points = Enumerable.Range(0, ys.Count)
            .Where(i => !double.IsNaN(ys[i]))
            .Select(i => (X: ys[i] + shift, Index: i))
            .OrderBy(point => point.X)
            .ToList();
        if (points.Count == 0 || p < points[0].X || p > points[^1].X)
        {
            return null;
        }

        return points.First(point => point.X >= p).Index;
    }
}
