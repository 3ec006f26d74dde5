namespace Timeline.Projections.Analysis;

/// <summary>
/// A counting-process observation: at risk on (<see cref="Start"/>, <see cref="Stop"/>], the event at
/// <see cref="Stop"/> or not (R's <c>Surv(tstart, tstop, status)</c>). Preconditions: finite times, start &lt; stop.
/// </summary>
public sealed record AtRiskInterval(double Start, double Stop, bool Event);
