namespace Timeline.Projections.Analysis;

/// <summary>
/// One row of a Cox model: a subject at risk on (<see cref="Start"/>, <see cref="Stop"/>], whether the
/// event happened at <see cref="Stop"/>, and the covariates that held on that interval (R's
/// <c>Surv(tstart, tstop, event)</c> counting-process form; Andersen &amp; Gill, Ann Stat 1982; 10:1100–1120;
/// Therneau &amp; Grambsch 2000, §3.7).
/// </summary>
/// <param name="Start">
/// Entry time, exclusive. <see cref="double.NegativeInfinity"/> for ordinary right-censored data (R's
/// <c>Surv(time, status)</c>), which lets a time of 0 be at risk at 0.
/// </param>
/// <param name="Stop">Exit time, inclusive; finite and greater than <paramref name="Start"/>.</param>
/// <param name="Event">True when the event happened at <paramref name="Stop"/>, false when the row ends censored.</param>
/// <param name="Covariates">The design row (numbers; a factor is given as 0/1 columns against its reference level).</param>
public sealed record CoxObservation(double Start, double Stop, bool Event, IReadOnlyList<double> Covariates)
{
    /// <summary>An ordinary right-censored observation (time from the origin, event or censored), R's <c>Surv(time, status)</c>.</summary>
    /// <param name="time">Follow-up time, finite and &gt;= 0.</param>
    /// <param name="event">True for an event at <paramref name="time"/>.</param>
    /// <param name="covariates">The design row.</param>
    public static CoxObservation RightCensored(double time, bool @event, params double[] covariates) =>
        new(double.NegativeInfinity, time, @event, covariates);
}
