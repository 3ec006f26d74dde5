namespace Timeline.Projections.Analysis;

/// <summary>
/// R's <c>survival:::aeqSurv</c> (the <c>timefix = TRUE</c> default of <c>survfit</c> and
/// <c>survdiff</c>): times that differ only by floating-point noise are treated as tied, so that, say,
/// 91/30.4375 and (3·91)/(3·30.4375) do not make two steps.
/// </summary>
internal static class TimeFix
{
    /// <summary>sqrt(machine epsilon) = 2^-26, R's <c>sqrt(.Machine$double.eps)</c>.</summary>
    internal static readonly double Tolerance = Math.Sqrt(Math.Pow(2, -52));

    /// <summary>
    /// Sorts the distinct times; neighbours d apart are tied when d &lt;= tol or d/mean(|times|) &lt;= tol;
    /// every time is then replaced by the smallest time of its run of ties (R: <c>findInterval</c> on
    /// the cut points). Exactly equal times are unaffected.
    /// </summary>
    internal static double[] Apply(IReadOnlyList<double> times)
    {
        var result = times.ToArray();
        var unique = result.Distinct().Order().ToArray();
        if (unique.Length < 2)
        {
            return result;
        }

        var meanAbs = unique.Select(Math.Abs).Average();
        var cuts = new List<double> { unique[0] };
        for (var i = 1; i < unique.Length; i++)
        {
            var gap = unique[i] - unique[i - 1];
            var tied = gap <= Tolerance || gap / meanAbs <= Tolerance;
            if (!tied)
            {
                cuts.Add(unique[i]);
            }
        }

        if (cuts.Count == unique.Length)
        {
            return result;
        }

        for (var i = 0; i < result.Length; i++)
        {
            // The largest cut <= the time: the first time of its run of ties.
            var index = cuts.BinarySearch(result[i]);
            result[i] = index >= 0 ? cuts[index] : cuts[~index - 1];
        }

        return result;
    }
}
