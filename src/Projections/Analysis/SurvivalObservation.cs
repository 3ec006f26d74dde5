namespace Timeline.Projections.Analysis;

/// <summary>
/// One subject's right-censored follow-up: the time from the origin (enrolment, start of a treatment
/// line, …) to the event or to the last contact, and whether the event was seen.
/// </summary>
/// <param name="Time">
/// Follow-up time in any unit (see <see cref="TimeUnits"/>). Precondition: finite and &gt;= 0; the
/// estimators throw <see cref="ArgumentOutOfRangeException"/> otherwise.
/// </param>
/// <param name="Event">
/// <see langword="true"/> when the event was observed at <paramref name="Time"/>;
/// <see langword="false"/> when the subject was censored there (alive and event-free at last contact).
/// </param>
/// <remarks>
/// The usual right-censoring model of Kalbfleisch &amp; Prentice, <i>The Statistical Analysis of Failure
/// Time Data</i>, 2nd ed., Wiley 2002, ch. 1: a censored subject counts as at risk at its own censoring
/// time, so an event and a censoring at the same time put the censored subject in the risk set.
/// </remarks>
public sealed record SurvivalObservation(double Time, bool Event);
