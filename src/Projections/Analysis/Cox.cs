using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Timeline.Projections.Analysis;

/// <summary>
/// The Cox proportional hazards model fitted as R's <c>survival::coxph</c> (its C routines <c>coxfit6</c>
/// for right-censored and <c>agfit4</c> for counting-process data): Newton–Raphson from β = 0 with step
/// halving, convergence when |1 − ℓ_old/ℓ_new| ≤ 1e-9, at most 20 iterations (Cox, JRSS B 1972;
/// 34:187–220; Therneau &amp; Grambsch, <i>Modeling Survival Data</i>, Springer 2000, ch. 3).
/// </summary>
public static partial class Cox
{
    /// <summary>R's <c>coxph.control()$eps</c>: the relative change of the log partial likelihood that ends the iterations.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>R's <c>coxph.control()$iter.max</c>.</summary>
    public const int MaxIterations = 20;

    /// <summary>R's <c>toler.inf</c>, sqrt(eps): how large the remaining step may be, relative to β, before β is called infinite.</summary>
    static readonly double InfiniteTolerance = Math.Sqrt(Tolerance);

    /// <summary>
    /// Fits the model.
    /// </summary>
    /// <param name="data">
    /// The rows: right-censored (<see cref="CoxObservation.RightCensored"/>) or counting-process intervals.
    /// Preconditions: at least one row; every row has <paramref name="names"/>.Count finite covariates,
    /// a finite stop &gt;= 0 and start &lt; stop. Times are used as given (no <c>timefix</c>: they are
    /// whole days in some unit, so equal days give equal doubles).
    /// </param>
    /// <param name="names">The covariates' names, one per column; at least one.</param>
    /// <param name="ties">Efron (R's default) or Breslow.</param>
    /// <param name="level">Confidence level of the Wald limits of exp(β), strictly between 0 and 1.</param>
    /// <returns>Estimates, tests, concordance and the convergence diagnosis; see <see cref="CoxFit"/>.</returns>
    /// <remarks>
    /// Edge cases as R: no events gives β = 0, ℓ = 0, tests 0 and concordance NaN; a covariate whose
    /// likelihood is monotone (e.g. separated groups) converges with a large β and a huge se and is named in
    /// <see cref="CoxFit.InfiniteTerms"/> (R's warning "Loglik converged before variable …"); a singular
    /// information matrix (a constant or collinear column, which R reports as NA) is solved with the
    /// Moore–Penrose inverse instead. Step halving: when a step lowers ℓ, the next β is moved back towards
    /// the last good one, (β_new + h·β_good)/(h + 1) for the h-th halving in a row.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No rows or no covariates, or a row of the wrong width.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time or covariate is not valid, or the level is outside (0, 1).</exception>
    public static CoxFit Fit(IReadOnlyList<CoxObservation> data, IReadOnlyList<string> names, CoxTies ties = CoxTies.Efron, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(names);
        Validate.Level(level);
        Check(data, names.Count);
        var p = names.Count;
        var design = new Design(data, p);

        var beta = new double[p];
        var first = Evaluate(design, beta, ties);
        var nullLogLik = first.LogLikelihood;
        var step = Solve(first.Information, first.Score);
        var scoreTest = Dot(first.Score, step);

        // R's coxfit6 loop: evaluate at the proposed β; done when ℓ barely moved; halve when ℓ fell.
        var best = nullLogLik;
        var proposed = Add(beta, step);
        var halving = 0;
        var converged = false;
        Evaluation current = first;
        int iteration;
        for (iteration = 1; iteration <= MaxIterations; iteration++)
        {
            current = Evaluate(design, proposed, ties);
            var finite = double.IsFinite(current.LogLikelihood) && current.Score.All(double.IsFinite);
            // Equal log likelihoods also end it: both 0 (every risk set a single row) would otherwise give 0/0.
            if (finite && (best == current.LogLikelihood || Math.Abs(1 - (best / current.LogLikelihood)) <= Tolerance))
            {
                best = current.LogLikelihood;
                beta = proposed;
                converged = true;
                break;
            }

            if (!finite || current.LogLikelihood < best)
            {
                halving++;
                proposed = [.. proposed.Select((b, k) => (b + (halving * beta[k])) / (halving + 1.0))];
            }
            else
            {
                halving = 0;
                best = current.LogLikelihood;
                var newStep = Solve(current.Information, current.Score);
                beta = proposed;
                proposed = Add(proposed, newStep);
            }
        }

        if (!converged)
        {
            iteration = MaxIterations + 1;
            current = Evaluate(design, beta, ties); // R re-evaluates at the last good β
            best = current.LogLikelihood;
        }

        return Summarise(design, names, ties, level, beta, current, nullLogLik, best, scoreTest, iteration, converged);
    }

    static CoxFit Summarise(Design design, IReadOnlyList<string> names, CoxTies ties, double level, double[] beta, Evaluation final,
        double nullLogLik, double logLik, double scoreTest, int iterations, bool converged)
    {
        var p = names.Count;
        var variance = Inverse(final.Information);
        var z975 = ConfidenceLimits.Z(level);
        var terms = new List<CoxTerm>(p);
        var infinite = new List<string>();
        for (var k = 0; k < p; k++)
        {
            var se = Math.Sqrt(variance[k, k]);
            var z = beta[k] / se;
            terms.Add(new CoxTerm(names[k], beta[k], Math.Exp(beta[k]), se, z, 2 * Normal.CDF(0, 1, -Math.Abs(z)),
                Math.Exp(beta[k] - (z975 * se)), Math.Exp(beta[k] + (z975 * se))));
            // R: |U(β̂)ᵀ V| > eps and > sqrt(eps)·|β̂|: one more Newton step would still move β a lot.
            double remaining = 0;
            for (var l = 0; l < p; l++) remaining += final.Score[l] * variance[l, k];
            remaining = Math.Abs(remaining);
            if (converged && (!double.IsFinite(final.Score[k]) || (remaining > Tolerance && remaining > InfiniteTolerance * Math.Abs(beta[k]))))
            {
                infinite.Add(names[k]);
            }
        }

        var wald = Dot(beta, Multiply(final.Information, beta));
        var (concordance, concordanceSe) = Concordance.Of(design.Start, design.Stop, design.Event, LinearPredictor(design, beta));
        var rows = Enumerable.Range(0, p).Select(k => (IReadOnlyList<double>)[.. Enumerable.Range(0, p).Select(l => variance[k, l])]).ToList();
        return new CoxFit(ties, terms, rows, nullLogLik, logLik,
            ChiSquareTest.Of(2 * (logLik - nullLogLik), p), ChiSquareTest.Of(wald, p), ChiSquareTest.Of(scoreTest, p),
            concordance, concordanceSe, design.N, design.Event.Count(e => e), iterations, converged, infinite);
    }

    static double[] LinearPredictor(Design design, double[] beta) =>
        [.. design.X.Select(x => x.Select((v, k) => v * beta[k]).Sum())];

    static void Check(IReadOnlyList<CoxObservation> data, int p)
    {
        if (data.Count == 0) throw new ArgumentException("A Cox model needs at least one row.", nameof(data));
        if (p == 0) throw new ArgumentException("A Cox model needs at least one covariate.", nameof(data));
        foreach (var row in data)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(data));
            if (row.Covariates.Count != p) throw new ArgumentException($"Every row needs {p} covariates.", nameof(data));
            Validate.Time(row.Stop, nameof(data));
            if (!(row.Start < row.Stop) || double.IsNaN(row.Start) || double.IsPositiveInfinity(row.Start))
            {
                throw new ArgumentOutOfRangeException(nameof(data), row.Start, "Every interval needs start < stop.");
            }

            if (!row.Covariates.All(double.IsFinite))
            {
                throw new ArgumentOutOfRangeException(nameof(data), "Covariates must be finite numbers.");
            }
        }
    }

    // Cholesky as R's cholesky2 when the information is positive definite; Moore–Penrose otherwise.
    static double[] Solve(double[,] information, double[] score)
    {
        var m = Matrix<double>.Build.DenseOfArray(information);
        var u = Vector<double>.Build.Dense(score);
        if (m.FrobeniusNorm() == 0) return new double[score.Length]; // no information (no events): no step, as R
        return PositiveDefinite(m) ? m.Cholesky().Solve(u).ToArray() : (m.PseudoInverse() * u).ToArray();
    }

    static double[,] Inverse(double[,] information)
    {
        var m = Matrix<double>.Build.DenseOfArray(information);
        if (m.FrobeniusNorm() == 0) return new double[m.RowCount, m.ColumnCount];
        return (PositiveDefinite(m) ? m.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(m.RowCount)) : m.PseudoInverse()).ToArray();
    }

    static bool PositiveDefinite(Matrix<double> m)
    {
        if (!m.Enumerate().All(double.IsFinite)) return false;
        var eigen = m.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues;
        var largest = eigen.Max(e => Math.Abs(e.Real));
        return eigen.All(e => e.Real > largest * 1e-14);
    }

    static double[] Add(double[] a, double[] b) => [.. a.Select((v, k) => v + b[k])];

    static double Dot(double[] a, double[] b) => a.Select((v, k) => v * b[k]).Sum();

    static double[] Multiply(double[,] m, double[] v) =>
        [.. Enumerable.Range(0, v.Length).Select(k => Enumerable.Range(0, v.Length).Sum(l => m[k, l] * v[l]))];
}
