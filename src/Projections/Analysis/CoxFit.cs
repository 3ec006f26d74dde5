namespace Timeline.Projections.Analysis;

/// <summary>
/// A fitted Cox proportional hazards model, the numbers <c>summary(coxph(...))</c> prints in R
/// (Cox, JRSS B 1972; 34:187–220; Therneau &amp; Grambsch 2000, ch. 3).
/// </summary>
/// <param name="Ties">How tied event times were handled.</param>
/// <param name="Terms">One row per covariate, in the order given.</param>
/// <param name="Variance">The inverse of the information matrix at the estimate (R: <c>fit$var</c>).</param>
/// <param name="NullLogLikelihood">Log partial likelihood at β = 0 (R: <c>fit$loglik[1]</c>).</param>
/// <param name="LogLikelihood">Log partial likelihood at the estimate (R: <c>fit$loglik[2]</c>).</param>
/// <param name="LikelihoodRatio">2(ℓ(β̂) − ℓ(0)) on p df.</param>
/// <param name="Wald">β̂ᵀ V⁻¹ β̂ on p df.</param>
/// <param name="Score">U(0)ᵀ I(0)⁻¹ U(0) on p df (with one binary covariate and Breslow ties: the log-rank test).</param>
/// <param name="Concordance">Harrell's C of the linear predictor as R's <c>concordance</c>; NaN when there is no comparable pair.</param>
/// <param name="ConcordanceStdErr">Its infinitesimal-jackknife standard error (R: <c>fit$concordance["std"]</c>).</param>
/// <param name="N">Rows used (R's <c>n</c>; with counting-process data, intervals, not subjects).</param>
/// <param name="Events">Events.</param>
/// <param name="Iterations">Newton–Raphson iterations (R: <c>fit$iter</c>); 21 when it ran out.</param>
/// <param name="Converged">False when 20 iterations did not reach the tolerance (R warns "Ran out of iterations").</param>
/// <param name="InfiniteTerms">
/// Terms whose estimate may be infinite: R's "Loglik converged before variable …; coefficient may be
/// infinite" (monotone likelihood, e.g. no events in one level of a factor). Their hazard ratio is not a
/// finding; the likelihood-ratio test stays valid.
/// </param>
public sealed record CoxFit(
    CoxTies Ties,
    IReadOnlyList<CoxTerm> Terms,
    IReadOnlyList<IReadOnlyList<double>> Variance,
    double NullLogLikelihood,
    double LogLikelihood,
    ChiSquareTest LikelihoodRatio,
    ChiSquareTest Wald,
    ChiSquareTest Score,
    double Concordance,
    double ConcordanceStdErr,
    int N,
    int Events,
    int Iterations,
    bool Converged,
    IReadOnlyList<string> InfiniteTerms);

/// <summary>One coefficient of a Cox fit, a row of R's <c>summary(coxph)</c> tables.</summary>
/// <param name="Name">The covariate (a factor level as <c>sexmale</c>, R's naming).</param>
/// <param name="Coef">log hazard ratio β.</param>
/// <param name="HazardRatio">exp(β).</param>
/// <param name="StdErr">sqrt of the diagonal of the inverse information.</param>
/// <param name="Z">β / se.</param>
/// <param name="P">Two-sided normal p, 2·Φ(−|z|).</param>
/// <param name="Lower">exp(β − z₀.₉₇₅·se), the Wald 95% limit.</param>
/// <param name="Upper">exp(β + z₀.₉₇₅·se).</param>
public sealed record CoxTerm(string Name, double Coef, double HazardRatio, double StdErr, double Z, double P, double Lower, double Upper);
