namespace Timeline.Projections.Analysis;

/// <summary>
/// A Kaplan–Meier curve as R's <c>survfit</c> returns it: one <see cref="SurvivalStep"/> per distinct
/// time that has an event or a censoring, in increasing time order (Kaplan &amp; Meier, JASA 1958;
/// 53:457–481).
/// </summary>
/// <param name="N">Number of subjects (R: <c>n</c>). 0 for an empty group, which has no steps.</param>
/// <param name="Events">Total number of events (sum of <c>n.event</c>). 0 when all are censored.</param>
/// <param name="ConfidenceType">How <see cref="SurvivalStep.Lower"/> and <see cref="SurvivalStep.Upper"/> were built.</param>
/// <param name="Level">Confidence level of the limits, e.g. 0.95 (R: <c>conf.int</c>).</param>
/// <param name="Steps">The steps, increasing in time; empty when <paramref name="N"/> is 0.</param>
public sealed record SurvivalCurve(
    int N,
    int Events,
    ConfidenceType ConfidenceType,
    double Level,
    IReadOnlyList<SurvivalStep> Steps);

/// <summary>
/// One row of a Kaplan–Meier table, the columns of R's <c>survfit</c> object at one distinct time.
/// S is right-continuous: <see cref="Survival"/> holds from <see cref="Time"/> up to the next step.
/// </summary>
/// <param name="Time">
/// The distinct time. Times closer than R's <c>timefix</c> tolerance are merged first (see
/// <see cref="KaplanMeier.Estimate"/>), and the step carries the smallest of them.
/// </param>
/// <param name="AtRisk">Subjects with follow-up &gt;= <paramref name="Time"/> (R: <c>n.risk</c>).</param>
/// <param name="Events">Events at this time (R: <c>n.event</c>); ties are counted together.</param>
/// <param name="Censored">Censorings at this time (R: <c>n.censor</c>); a step may have only censorings.</param>
/// <param name="Survival">The product-limit estimate S(t) (R: <c>surv</c>).</param>
/// <param name="StdErrLogSurvival">
/// Greenwood standard error of <b>log S</b>, sqrt(Σ d/(n(n−d))) — this is what R's <c>survfit</c>
/// object stores as <c>std.err</c>. +∞ once S has reached 0 (all remaining subjects had the event),
/// as in R; 0 before the first event.
/// </param>
/// <param name="StdErr">
/// Greenwood standard error of <b>S</b> itself, S·<paramref name="StdErrLogSurvival"/> — what R's
/// <c>summary(fit)$std.err</c> prints (Greenwood 1926). NaN where S = 0 (0·∞), as in R.
/// </param>
/// <param name="Lower">Lower pointwise confidence limit; <see langword="null"/> where R gives NA or NaN.</param>
/// <param name="Upper">Upper pointwise confidence limit; <see langword="null"/> where R gives NA or NaN.</param>
public sealed record SurvivalStep(
    double Time,
    int AtRisk,
    int Events,
    int Censored,
    double Survival,
    double StdErrLogSurvival,
    double StdErr,
    double? Lower,
    double? Upper);
