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
    /// Cost: O(events × rows); meant for cohorts, not registries.
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

        var concordant = new double[n];
        var discordant = new double[n];
        var tied = new double[n];
        double totalConcordant = 0, totalDiscordant = 0, totalTied = 0;
        for (var i = 0; i < n; i++)
        {
            if (!@event[i]) continue;
            var t = stop[i];
            for (var j = 0; j < n; j++)
            {
                if (j == i || !(start[j] < t && t <= stop[j])) continue;
                if (@event[j] && stop[j] == t) continue; // tied in time: not a comparable pair
                if (score[i] > score[j]) { concordant[i]++; concordant[j]++; totalConcordant++; }
                else if (score[i] < score[j]) { discordant[i]++; discordant[j]++; totalDiscordant++; }
                else { tied[i]++; tied[j]++; totalTied++; }
            }
        }

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
}
