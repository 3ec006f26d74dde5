using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Timeline.Projections.Analysis;

/// <summary>
/// The log-rank (Mantel–Haenszel) test that k survival curves are equal, matching R's
/// <c>survival::survdiff(Surv(time, status) ~ group)</c> with <c>rho = 0</c> (Mantel, Cancer
/// Chemotherapy Reports 1966; 50:163–170; Peto &amp; Peto, JRSS A 1972; 135:185–207; Harrington &amp;
/// Fleming, Biometrika 1982; 69:553–566; Collett, <i>Modelling Survival Data in Medical Research</i>,
/// 3rd ed., CRC 2015, ch. 2).
/// </summary>
public static partial class LogRank
{
    /// <summary>
    /// Tests k &gt;= 2 groups given as separate lists; group j is labelled j (0-based) in the result.
    /// </summary>
    /// <param name="groups">
    /// The observations of each group. Precondition: at least two groups; every time finite and &gt;= 0.
    /// A group may be empty: it then has expected 0 and leaves the test and its degrees of freedom.
    /// </param>
    /// <returns>Observed, expected, variance, chi-square, df and p; see <see cref="LogRankResult"/>.</returns>
    /// <remarks>
    /// Edge cases as R: tied event times are one risk set with the exact hypergeometric variance; a
    /// group censored before the first event (or empty) has expected 0 and is dropped (df = k − 1 − such
    /// groups); chi-square 0 and p 1 when fewer than two groups have expected &gt; 0 (when no one has an
    /// event at all R reports df −1 and p NaN; here df is 0). Near-identical times are merged over the pooled
    /// data as R's <c>timefix</c>. Where the reduced variance matrix is singular (e.g. every event time
    /// empties its risk set) R's <c>solve</c> stops with an error; here the Moore–Penrose inverse is
    /// used instead. p is 1 − MathNet's <c>ChiSquared.CDF</c>, so p-values below about 1e-15 read as 0.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> or one of its lists is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite.</exception>
    public static LogRankResult Test(IReadOnlyList<IReadOnlyList<SurvivalObservation>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count < 2)
        {
            throw new ArgumentException("The log-rank test needs at least two groups.", nameof(groups));
        }

        var pooled = new List<(double Time, bool Event, int Group)>();
        for (var j = 0; j < groups.Count; j++)
        {
            ArgumentNullException.ThrowIfNull(groups[j], nameof(groups));
            pooled.AddRange(groups[j].Select(o => (o.Time, o.Event, j)));
        }

        return Compute(pooled, [.. Enumerable.Range(0, groups.Count)]);
    }

    /// <summary>
    /// Tests the groups found in one list of labelled observations; the result lists them by increasing
    /// label (as R orders factor levels).
    /// </summary>
    /// <param name="data">
    /// Observations with their group label. Precondition: at least two distinct labels; every time
    /// finite and &gt;= 0.
    /// </param>
    /// <returns>Observed, expected, variance, chi-square, df and p; see <see cref="LogRankResult"/>.</returns>
    /// <remarks>Edge cases as <see cref="Test(IReadOnlyList{IReadOnlyList{SurvivalObservation}})"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two distinct groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite.</exception>
    public static LogRankResult Test(IReadOnlyList<(double Time, bool Event, int Group)> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = data.Select(o => o.Group).Distinct().Order().ToArray();
        if (labels.Length < 2)
        {
            throw new ArgumentException("The log-rank test needs at least two groups.", nameof(data));
        }

        var index = labels.Select((label, j) => (label, j)).ToDictionary(p => p.label, p => p.j);
        var pooled = data.Select(o => (o.Time, o.Event, index[o.Group])).ToList();
        return Compute(pooled, labels);
    }

    private static LogRankResult Compute(List<(double Time, bool Event, int Group)> pooled, int[] labels)
    {
        foreach (var observation in pooled)
        {
            Validate.Time(observation.Time, "data");
        }

        var k = labels.Length;
        var (times, order) = TimeFix.ApplyAndOrder([.. pooled.Select(o => o.Time)]);

        // R's survdiff2 (C): subjects sorted by time, walked from the last time back, so the risk sets grow;
        // the sums are kept in that order. R also puts events first within a time; here a time's subjects are
        // summed as one step before any use, so their order within it changes nothing.
        var risk = new double[k];
        var observed = new double[k];
        var expected = new double[k];
        var variance = new double[k, k];
        var i = order.Length - 1;
        while (i >= 0)
        {
            var time = times[order[i]];
            double deaths = 0;
            for (; i >= 0 && times[order[i]] == time; i--)
            {
                var subject = pooled[order[i]];
                var status = subject.Event ? 1 : 0;
                deaths += status;
                risk[subject.Group] += 1;
                observed[subject.Group] += status;
            }

            double nrisk = order.Length - (i + 1);
            if (deaths > 0)
            {
                for (var j = 0; j < k; j++)
                {
                    expected[j] += deaths * risk[j] / nrisk;
                }

                if (nrisk == 1)
                {
                    continue;
                }

                for (var j = 0; j < k; j++)
                {
                    var tmp = deaths * risk[j] * (nrisk - deaths) / (nrisk * (nrisk - 1));
                    variance[j, j] += tmp;
                    for (var l = 0; l < k; l++)
                    {
                        variance[j, l] -= tmp * risk[l] / nrisk;
                    }
                }
            }
        }

        var (chiSquare, df) = ChiSquareStatistic(observed, expected, variance);
        var p = df == 0 ? 1 : 1 - ChiSquared.CDF(df, chiSquare);
        var counts = Enumerable.Range(0, k).Select(j => pooled.Count(o => o.Group == j)).ToArray();
        var rows = Enumerable.Range(0, k)
            .Select(j => (IReadOnlyList<double>)[.. Enumerable.Range(0, k).Select(l => variance[j, l])])
            .ToArray();
        return new LogRankResult(labels, counts, observed, expected, rows, chiSquare, df, p);
    }

    // survdiff: keep the groups with expected > 0, drop the first of them, solve V x = (O - E).
    private static (double ChiSquare, int Df) ChiSquareStatistic(double[] observed, double[] expected, double[,] variance)
    {
        var kept = Enumerable.Range(0, expected.Length).Where(j => expected[j] > 0).ToArray();
        var df = kept.Length - 1;
        if (kept.Length < 2)
        {
            return (0, Math.Max(df, 0));
        }

        var used = kept[1..];
        var difference = Vector<double>.Build.Dense([.. used.Select(j => observed[j] - expected[j])]);
        var reduced = Matrix<double>.Build.Dense(used.Length, used.Length, (r, c) => variance[used[r], used[c]]);
        var solution = reduced.Rank() == used.Length
            ? reduced.Solve(difference)
            : reduced.PseudoInverse() * difference;
        return (solution.DotProduct(difference), df);
    }
}
