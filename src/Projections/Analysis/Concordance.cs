namespace Timeline.Projections.Analysis;

/// <summary>
/// Harrell's concordance of a risk score with survival, as R's <c>survival::concordance</c> reports it for
/// a Cox fit (<c>fit$concordance</c>: <c>reverse = TRUE</c>, time weight "n", no <c>timefix</c>)
/// (Harrell et al., JAMA 1982; 247:2543–2546; Therneau &amp; Atkinson, "Concordance", survival package
/// vignette, 2020).
/// </summary>
public static class Concordance
{
    /// <summary>
    /// The concordance and its infinitesimal-jackknife standard error.
    /// </summary>
    /// <param name="start">Row entry times (exclusive); −∞ for right-censored rows.</param>
    /// <param name="stop">Row exit times (inclusive).</param>
    /// <param name="event">Whether the row ended in the event.</param>
    /// <param name="score">The risk score (a Cox linear predictor): higher means earlier events expected.</param>
    /// <returns>
    /// C = (concordant + tied/2) / (concordant + discordant + tied), and its standard error.
    /// </returns>
    /// <remarks>
    /// A pair is compared at each event time t: the row with the event against every other row at risk
    /// (start &lt; t ≤ stop) that does not have an event at t. Concordant when the event row has the higher
    /// score, tied when the scores are exactly equal; two events at the same time are not compared (R's
    /// tied.y). The variance is R's: each row's influence on Somers' d, d_i = (c_i − q_i)/N − d·(c_i + q_i + t_i)/N
    /// from its own pair counts, var(C) = Σ d_i² / 4. No comparable pair (no events): NaN and NaN.
    /// Cost: O(n log n), with binary indexed trees over the score ranks.
    /// Preconditions: the four lists have the same length and start &lt; stop in every row.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static (double Concordance, double StdErr) Of(
        IReadOnlyList<double> start, IReadOnlyList<double> stop, IReadOnlyList<bool> @event, IReadOnlyList<double> score)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stop);
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(score);
        var n = stop.Count;
        if (start.Count != n || @event.Count != n || score.Count != n)
        {
            throw new ArgumentException("start, stop, event and score must have the same length.", nameof(score));
        }

        // Scores as ranks (exact equality is a tie, as R's match on the unique values).
        var distinct = score.Distinct().Order().ToArray();
        var rank = score.Select(v => Array.BinarySearch(distinct, v)).ToArray();
        var concordant = new double[n];
        var discordant = new double[n];
        var tied = new double[n];
        var (totalConcordant, totalDiscordant, totalTied) = DeathSide(start, stop, @event, rank, distinct.Length, concordant, discordant, tied);
        RiskSetSide(start, stop, @event, rank, distinct.Length, concordant, discordant, tied);

        var pairs = totalConcordant + totalDiscordant + totalTied;
        if (pairs == 0) return (double.NaN, double.NaN);
        var somers = (totalConcordant - totalDiscordant) / pairs;
        double variance = 0;
        for (var i = 0; i < n; i++)
        {
            var influence = ((concordant[i] - discordant[i]) / pairs) - (somers / pairs * (concordant[i] + discordant[i] + tied[i]));
            variance += influence * influence;
        }

        return ((somers + 1) / 2, Math.Sqrt(variance / 4));
    }

    /// <summary>
    /// Each death against the rows at risk at its time but not dying then: the death's own pair counts and the
    /// totals. Event times from the last back; rows enter at their stop and leave once start ≥ t.
    /// </summary>
    static (double Concordant, double Discordant, double Tied) DeathSide(IReadOnlyList<double> start, IReadOnlyList<double> stop,
        IReadOnlyList<bool> @event, int[] rank, int levels, double[] concordant, double[] discordant, double[] tied)
    {
        var n = stop.Count;
        var byStop = Enumerable.Range(0, n).OrderByDescending(i => stop[i]).ToArray();
        var byStart = Enumerable.Range(0, n).OrderByDescending(i => start[i]).ToArray();
        var atRisk = new RankCounts(levels);
        double c = 0, d = 0, t = 0;
        int nextStop = 0, nextStart = 0;
        foreach (var time in Enumerable.Range(0, n).Where(i => @event[i]).Select(i => stop[i]).Distinct().OrderDescending())
        {
            for (; nextStop < n && stop[byStop[nextStop]] >= time; nextStop++) atRisk.Add(rank[byStop[nextStop]], 1);
            for (; nextStart < n && start[byStart[nextStart]] >= time; nextStart++) atRisk.Add(rank[byStart[nextStart]], -1);
            var deaths = Enumerable.Range(nextStop - CountAt(stop, byStop, nextStop, time), CountAt(stop, byStop, nextStop, time))
                .Select(k => byStop[k]).Where(i => @event[i]).ToList();
            var tiedDeaths = new RankCounts(levels);
            foreach (var i in deaths) tiedDeaths.Add(rank[i], 1);
            foreach (var i in deaths)
            {
                // Deaths at the same time are tied in time: not compared (R's tied.y).
                var less = atRisk.Below(rank[i]) - tiedDeaths.Below(rank[i]);
                var more = atRisk.Above(rank[i]) - tiedDeaths.Above(rank[i]);
                var same = atRisk.At(rank[i]) - tiedDeaths.At(rank[i]);
                concordant[i] += less;
                discordant[i] += more;
                tied[i] += same;
                c += less;
                d += more;
                t += same;
            }
        }

        return (c, d, t);
    }

    /// <summary>The rows of byStop[..end] with stop equal to time (they are the last ones added).</summary>
    static int CountAt(IReadOnlyList<double> stop, int[] byStop, int end, double time)
    {
        var count = 0;
        for (var k = end - 1; k >= 0 && stop[byStop[k]] == time; k--) count++;
        return count;
    }

    /// <summary>
    /// Each row against the deaths it was compared with: deaths at times in (start, stop], without those at its own
    /// stop when the row itself ends in a death. Answered offline as differences of cumulative counts over time.
    /// </summary>
    static void RiskSetSide(IReadOnlyList<double> start, IReadOnlyList<double> stop, IReadOnlyList<bool> @event, int[] rank, int levels,
        double[] concordant, double[] discordant, double[] tied)
    {
        var n = stop.Count;
        var deaths = Enumerable.Range(0, n).Where(i => @event[i]).OrderBy(i => stop[i]).ToArray();
        // (time, inclusive, row, sign): the deaths up to time (inclusive or not) with the sign of their contribution.
        var queries = new List<(double Time, bool Inclusive, int Row, int Sign)>(2 * n);
        for (var j = 0; j < n; j++)
        {
            queries.Add((stop[j], !@event[j], j, 1));
            if (!double.IsNegativeInfinity(start[j])) queries.Add((start[j], true, j, -1));
        }

        queries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Inclusive.CompareTo(b.Inclusive));
        var seen = new RankCounts(levels);
        var next = 0;
        foreach (var (time, inclusive, j, sign) in queries)
        {
            for (; next < deaths.Length && (stop[deaths[next]] < time || (inclusive && stop[deaths[next]] == time)); next++)
            {
                seen.Add(rank[deaths[next]], 1);
            }

            // A death with the higher score is concordant with this row.
            concordant[j] += sign * seen.Above(rank[j]);
            discordant[j] += sign * seen.Below(rank[j]);
            tied[j] += sign * seen.At(rank[j]);
        }
    }

    /// <summary>Counts of items by score rank (a binary indexed tree, Fenwick, Softw Pract Exp 1994; 24:327–336).</summary>
    sealed class RankCounts(int levels)
    {
        readonly double[] tree = new double[levels + 1];
        double total;

        public void Add(int rank, double delta)
        {
            total += delta;
            for (var k = rank + 1; k < tree.Length; k += k & -k) tree[k] += delta;
        }

        /// <summary>Items with rank below <paramref name="rank"/>.</summary>
        public double Below(int rank)
        {
            double sum = 0;
            for (var k = rank; k > 0; k -= k & -k) sum += tree[k];
            return sum;
        }

        public double At(int rank) => Below(rank + 1) - Below(rank);

        public double Above(int rank) => total - Below(rank + 1);
    }
}
