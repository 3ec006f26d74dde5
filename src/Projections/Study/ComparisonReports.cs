using Timeline.Projections.Analysis;

namespace Timeline.Projections.Study;

// The answers of the comparison routes (DOMAIN.md, "Comparisons"). Times are in the requested unit.

/// <summary>
/// One Cox coefficient. <see cref="HazardRatio"/>, <see cref="Lower"/> and <see cref="Upper"/> are null when
/// the coefficient may be infinite; <see cref="Note"/> then says why.
/// </summary>
public sealed record CoxTermSummary(string Name, double Coef, double? HazardRatio, double Se, double Z, double P, double? Lower, double? Upper, string? Note);

/// <summary>
/// A Cox model as the routes show it: R's <c>summary(coxph)</c> in a few fields, and the proportional-hazards
/// test per term and global (R's <c>cox.zph(fit, transform = "km", terms = TRUE)</c>).
/// </summary>
public sealed record CoxSummary(
    string Ties, IReadOnlyList<CoxTermSummary> Terms, ChiSquareTest LikelihoodRatio, ChiSquareTest Wald, ChiSquareTest Score,
    double? Concordance, double? ConcordanceSe, int N, int Events, int Iterations,
    IReadOnlyList<ProportionalHazardsTest>? ProportionalHazards = null);

/// <summary>A Simon–Makuch curve: the unexposed time of every patient, or the exposed (mtki) time.</summary>
public sealed record SimonMakuchCurve(string Name, bool Mtki, int Intervals, int Events, IReadOnlyList<CurvePoint> Curve);

/// <summary>One counting-process row of the time-dependent analysis (R's tmerge columns; death and mtki as 0/1).</summary>
public sealed record ExposureRow(string PatientId, double Tstart, double Tstop, int Death, int Mtki);

public sealed record TimeDependentReport(
    ChiSquareTest? MantelByar, CoxSummary? Cox, IReadOnlyList<SimonMakuchCurve> SimonMakuch,
    IReadOnlyList<Exclusion> Excluded, IReadOnlyList<string> Warnings);

public sealed record IntervalsReport(IReadOnlyList<ExposureRow> Intervals, IReadOnlyList<Exclusion> Excluded);

/// <summary>The comparison among patients still followed at the landmark, times from the landmark.</summary>
/// <param name="At">The landmark, in the unit.</param>
/// <param name="N">Patients followed beyond it.</param>
/// <param name="NotFollowedBeyond">Patients whose follow-up ended at or before it (died or last seen), left out.</param>
public sealed record LandmarkReport(
    double At, int N, int NotFollowedBeyond, IReadOnlyList<GroupSurvival> Groups, LogRankSummary? LogRank, CoxSummary? Cox,
    IReadOnlyList<string> Warnings);

public sealed record LandmarksReport(IReadOnlyList<LandmarkReport> Landmarks, IReadOnlyList<Exclusion> Excluded);
