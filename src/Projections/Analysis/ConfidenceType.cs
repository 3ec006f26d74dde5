namespace Timeline.Projections.Analysis;

/// <summary>
/// How pointwise confidence limits for a survival probability S(t) are built from Greenwood's standard
/// error, with the names and formulas of R's <c>survfit(conf.type = …)</c> (Therneau &amp; Grambsch,
/// <i>Modeling Survival Data</i>, Springer 2000, ch. 2; Collett, <i>Modelling Survival Data in Medical
/// Research</i>, 3rd ed., CRC 2015, ch. 2). z is the standard normal quantile for the level.
/// </summary>
public enum ConfidenceType
{
    /// <summary>
    /// R's default <c>conf.type = "log"</c>: S·exp(±z·se(log S)), upper limit capped at 1.
    /// Where S = 0 both limits are missing (R: NA).
    /// </summary>
    Log,

    /// <summary>
    /// <c>conf.type = "log-log"</c> (Kalbfleisch &amp; Prentice, <i>The Statistical Analysis of Failure Time Data</i>, 2nd ed., Wiley 2002, ch. 1):
    /// exp(−exp(log(−log S) ∓ z·se(log S)/log S)); always inside (0, 1). Missing where S = 0 or S = 1
    /// (before the first event, or when everyone is censored).
    /// </summary>
    LogLog,

    /// <summary>
    /// <c>conf.type = "plain"</c>: S ± z·se(S), clipped to [0, 1]. Missing where S = 0 (R: NaN, since
    /// se(log S) is infinite there).
    /// </summary>
    Plain,
}
