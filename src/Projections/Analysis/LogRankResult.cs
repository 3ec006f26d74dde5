namespace Timeline.Projections.Analysis;

/// <summary>
/// The k-sample log-rank test as R's <c>survdiff</c> reports it (<c>rho = 0</c>).
/// </summary>
/// <param name="Groups">Group labels, in the order of every per-group list below.</param>
/// <param name="N">Subjects per group (R: <c>n</c>).</param>
/// <param name="Observed">Events per group (R: <c>obs</c>).</param>
/// <param name="Expected">
/// Expected events per group under equal hazards, Σ over event times of d·n_j/n (R: <c>exp</c>).
/// Sums to the total observed. 0 for a group with no one at risk at any event time.
/// </param>
/// <param name="Variance">
/// The k×k covariance of O − E, rows in group order (R: <c>var</c>), with the exact hypergeometric
/// term for tied events: Σ d(n−d)/(n(n−1))·n_j(δ_jl − n_l/n), skipping times with one subject at risk.
/// </param>
/// <param name="ChiSquare">
/// (O − E)ᵀV⁻¹(O − E) over the groups with expected &gt; 0, leaving out the first of them
/// (R: <c>chisq</c>); 0 when fewer than two groups have expected &gt; 0.
/// </param>
/// <param name="Df">Degrees of freedom: the number of groups with expected &gt; 0, minus one.</param>
/// <param name="P">Upper-tail chi-square probability of <paramref name="ChiSquare"/> on <paramref name="Df"/>; 1 when Df is 0 (as R's <c>pchisq(0, 0, lower.tail = FALSE)</c>).</param>
public sealed record LogRankResult(
    IReadOnlyList<int> Groups,
    IReadOnlyList<int> N,
    IReadOnlyList<double> Observed,
    IReadOnlyList<double> Expected,
    IReadOnlyList<IReadOnlyList<double>> Variance,
    double ChiSquare,
    int Df,
    double P);
