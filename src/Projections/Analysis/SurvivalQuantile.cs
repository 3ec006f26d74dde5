namespace Timeline.Projections.Analysis;

/// <summary>
/// A survival quantile (the median when <paramref name="Probability"/> is 0.5) and its confidence
/// interval (Brookmeyer &amp; Crowley, Biometrics 1982; 38:29–41), each <see langword="null"/> when the
/// curve concerned never falls far enough (R: NA).
/// </summary>
/// <param name="Probability">
/// The fraction of events p: the time sought is where S falls to 1 − p (0.5 for the median).
/// </param>
/// <param name="Time">The estimate, from the survival curve.</param>
/// <param name="Lower">Lower limit: from the <i>lower</i> pointwise confidence curve, which falls first.</param>
/// <param name="Upper">Upper limit: from the <i>upper</i> pointwise confidence curve.</param>
public sealed record SurvivalQuantile(double Probability, double? Time, double? Lower, double? Upper);
