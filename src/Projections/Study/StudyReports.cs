using System.Text.Json.Serialization;
using Timeline.Projections.Analysis;

namespace Timeline.Projections.Study;

// The answers of the analysis routes (API.md, "Analyses"). Times are in the requested unit.

public sealed record CurvePoint(double Time, int AtRisk, int Events, int Censored, double Survival, double? Lower, double? Upper);

public sealed record SurvivalSummary(
    int N, int Events, double? Median, double? MedianLower, double? MedianUpper, IReadOnlyList<CurvePoint> Curve)
{
    public static SurvivalSummary Of(IReadOnlyList<SurvivalObservation> data)
    {
        if (data.Count == 0) return new(0, 0, null, null, null, []);
        var curve = KaplanMeier.Estimate(data);
        var median = KaplanMeier.Median(curve);
        return new(curve.N, curve.Events, median.Time, median.Lower, median.Upper,
            curve.Steps.Select(s => new CurvePoint(s.Time, s.AtRisk, s.Events, s.Censored, s.Survival, s.Lower, s.Upper)).ToList());
    }
}

public sealed record GroupSurvival(string Name, int N, int Events, double? Median, double? MedianLower, double? MedianUpper, IReadOnlyList<CurvePoint> Curve);

public sealed record LogRankSummary(double ChiSquare, int Df, double P, IReadOnlyList<double> Observed, IReadOnlyList<double> Expected);

public sealed record Exclusion(string PatientId, string Reason);

/// <summary>The naive comparison (group fixed at the anchor); <paramref name="Cox"/> is mtki against control (Efron), with its warnings.</summary>
public sealed record OverallSurvivalReport(
    IReadOnlyList<GroupSurvival> Groups, LogRankSummary? LogRank, IReadOnlyList<Exclusion> Excluded,
    CoxSummary? Cox = null, IReadOnlyList<string>? Warnings = null);

public sealed record TimeToProgressionReport(SurvivalSummary Ttp, SurvivalSummary Pfs);

/// <summary>Best overall responses by RECIST category, named as clinicians write them.</summary>
public sealed record ResponseCounts(
    [property: JsonPropertyName("CR")] int CR, [property: JsonPropertyName("PR")] int PR, [property: JsonPropertyName("SD")] int SD,
    [property: JsonPropertyName("PD")] int PD, [property: JsonPropertyName("NE")] int NE);

public sealed record ResponseSubgroup(string Name, int N, int Responders, double? Orr);

public sealed record ResponseReport(
    int N, int Evaluable, ResponseCounts Counts, double? Orr, double? OrrLower, double? OrrUpper,
    double? EvaluableOrr, double? EvaluableOrrLower, double? EvaluableOrrUpper,
    IReadOnlyList<ResponseSubgroup> ByDrug, IReadOnlyList<ResponseSubgroup> ByHistology);

public sealed record HistologyTally(string? Histology, string? Name, int Patients, int MtkiPatients);

public sealed record DrugTally(string Drug, int Patients);

public sealed record CohortReport(
    int Patients, int MtkiPatients, IReadOnlyList<HistologyTally> ByHistology, IReadOnlyList<DrugTally> ByDrug,
    double? MedianAgeAtMtkiStart, double? MinAge, double? MaxAge);
