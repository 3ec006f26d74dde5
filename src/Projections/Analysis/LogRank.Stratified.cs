using MathNet.Numerics.Distributions;

namespace Timeline.Projections.Analysis;

public static partial class LogRank
{
    /// <summary>
    /// The stratified and weighted (G-rho) log-rank test, as R's
    /// <c>survdiff(Surv(time, status) ~ group + strata(stratum), rho = rho)</c> (Harrington &amp; Fleming,
    /// Biometrika 1982; 69:553–566; Therneau &amp; Grambsch 2000, §3.4).
    /// </summary>
    /// <param name="data">Observations with group and stratum labels. Preconditions: at least two distinct groups;
    /// every time finite and &gt;= 0.</param>
    /// <param name="rho">Weight exponent: each event time counts S(t−)^rho, S the Kaplan–Meier of the stratum's
    /// pooled data just before t. 0 is the log-rank test, 1 the Peto–Peto modification of the Gehan–Wilcoxon test.</param>
    /// <returns>
    /// Per group (by increasing label), the weighted observed and expected events summed over strata, the
    /// summed variance, and the chi-square of the summed O − E; df and p as <see cref="Test(IReadOnlyList{ValueTuple{double, bool, int}})"/>.
    /// </returns>
    /// <remarks>
    /// Each stratum has its own risk sets; a group absent from a stratum contributes nothing there. With one
    /// stratum and rho = 0 this is the ordinary test. Near-identical times are merged over all the data, as R.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite, or rho is not finite.</exception>
    public static LogRankResult Test(IReadOnlyList<(double Time, bool Event, int Group, int Stratum)> data, double rho)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!double.IsFinite(rho)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must be finite.");
        foreach (var o in data) Validate.Time(o.Time, nameof(data));
        var labels = data.Select(o => o.Group).Distinct().Order().ToArray();
        if (labels.Length < 2) throw new ArgumentException("The log-rank test needs at least two groups.", nameof(data));
        var index = labels.Select((label, j) => (label, j)).ToDictionary(p => p.label, p => p.j);
        var k = labels.Length;
        var (times, _) = TimeFix.ApplyAndOrder([.. data.Select(o => o.Time)]);

        var observed = new double[k];
        var expected = new double[k];
        var variance = new double[k, k];
        foreach (var stratum in Enumerable.Range(0, data.Count).GroupBy(i => data[i].Stratum))
        {
            var rows = stratum.OrderBy(i => times[i]).ToArray();
            AddStratum(rows, times, data, index, rho, observed, expected, variance);
        }

        var (chiSquare, df) = ChiSquareStatistic(observed, expected, variance);
        var p = df == 0 ? 1 : 1 - ChiSquared.CDF(df, chiSquare);
        var counts = labels.Select(l => data.Count(o => o.Group == l)).ToArray();
        var matrix = Enumerable.Range(0, k).Select(j => (IReadOnlyList<double>)[.. Enumerable.Range(0, k).Select(l => variance[j, l])]).ToArray();
        return new LogRankResult(labels, counts, observed, expected, matrix, chiSquare, df, p);
    }

    // R's survdiff2 for one stratum: a left-continuous KM for the weights, then the sums from the last time back.
    static void AddStratum(int[] rows, double[] times, IReadOnlyList<(double Time, bool Event, int Group, int Stratum)> data,
        Dictionary<int, int> index, double rho, double[] observed, double[] expected, double[,] variance)
    {
        var n = rows.Length;
        var k = observed.Length;
        var weightAt = new double[n];
        double km = 1;
        for (var i = 0; i < n;)
        {
            var j = i;
            double deaths = 0;
            for (; j < n && times[rows[j]] == times[rows[i]]; j++)
            {
                weightAt[j] = rho == 0 ? 1 : Math.Pow(km, rho);
                deaths += data[rows[j]].Event ? 1 : 0;
            }

            km *= (n - i - deaths) / (n - i);
            i = j;
        }

        var risk = new double[k];
        for (var i = n - 1; i >= 0;)
        {
            var weight = weightAt[i];
            double deaths = 0;
            var j = i;
            for (; j >= 0 && times[rows[j]] == times[rows[i]]; j--)
            {
                var g = index[data[rows[j]].Group];
                var status = data[rows[j]].Event ? 1 : 0;
                deaths += status;
                risk[g] += 1;
                observed[g] += status * weight;
            }

            i = j;
            double atRisk = n - (j + 1);
            if (deaths == 0) continue;
            for (var g = 0; g < k; g++) expected[g] += weight * deaths * risk[g] / atRisk;
            if (atRisk == 1) continue;
            var w2 = weight * weight;
            for (var g = 0; g < k; g++)
            {
                var tmp = w2 * deaths * risk[g] * (atRisk - deaths) / (atRisk * (atRisk - 1));
                variance[g, g] += tmp;
                for (var l = 0; l < k; l++) variance[g, l] -= tmp * risk[l] / atRisk;
            }
        }
    }
}
