using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

public static partial class StudyComparisons
{
    /// <summary>
    /// Landmark analyses (Anderson, Cain &amp; Gelber, J Clin Oncol 1983; 1:710–719): at each landmark L, the
    /// patients followed beyond L after the anchor; group mtki if the first mTKI line started at or before L
    /// (a later start is ignored: control), time from L; KM per group, log-rank and Cox (mtki + covariates).
    /// </summary>
    /// <param name="outcomes">The cohort shown.</param>
    /// <param name="unit">Unit of <paramref name="landmarks"/> and of every time in the answer.</param>
    /// <param name="landmarks">Landmarks, each finite and &gt;= 0, in the unit.</param>
    /// <param name="ties">Ties of the Cox models.</param>
    /// <param name="covariates">Names from <see cref="CoxCovariates.Known"/>.</param>
    /// <remarks>A landmark with an empty group has no log-rank test and no Cox model (warned); follow-up equal to L is not beyond it.</remarks>
    public static LandmarksReport Landmark(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit, IReadOnlyList<double> landmarks,
        CoxTies ties, IReadOnlyList<string> covariates)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(landmarks);
        var compared = Compared(outcomes).ToList();
        var excluded = outcomes.Where(o => o.ExclusionReason is not null).Select(o => new Exclusion(o.PatientId, o.ExclusionReason!))
            .OrderBy(e => e.PatientId, StringComparer.Ordinal).ToList();
        return new LandmarksReport([.. landmarks.Select(at => At(at, compared, outcomes, unit, ties, covariates))], excluded);
    }

    static LandmarkReport At(double at, List<PatientOutcome> compared, IReadOnlyList<PatientOutcome> cohort, TimeUnit unit, CoxTies ties, IReadOnlyList<string> covariates)
    {
        var warnings = new List<string>();
        var beyond = compared.Where(o => TimeUnits.FromDays(o.OverallSurvival!.Days, unit) > at).ToList();
        bool Treated(PatientOutcome o) => o.Group == "mtki" && o.FirstMtkiStart is { } s
            && TimeUnits.FromDays(s.DayNumber - o.Anchor!.Date.DayNumber, unit) <= at;
        double Time(PatientOutcome o) => TimeUnits.FromDays(o.OverallSurvival!.Days, unit) - at;

        var groups = StudyAnalyses.SurvivalGroups.Select(name =>
        {
            var data = beyond.Where(o => Treated(o) == (name == "mtki")).Select(o => new SurvivalObservation(Time(o), o.OverallSurvival!.Event)).ToList();
            var s = SurvivalSummary.Of(data);
            if (data.Count == 0) warnings.Add($"no {name} patients followed beyond the landmark");
            else if (s.Events == 0) warnings.Add($"no deaths in the {name} group after the landmark");
            return (Data: data, Summary: new GroupSurvival(name, s.N, s.Events, s.Median, s.MedianLower, s.MedianUpper, s.Curve));
        }).ToList();

        LogRankSummary? logRank = null;
        CoxSummary? cox = null;
        if (groups.All(g => g.Data.Count > 0))
        {
            var test = LogRank.Test([.. groups.Select(g => (IReadOnlyList<SurvivalObservation>)g.Data)]);
            logRank = new LogRankSummary(test.ChiSquare, test.Df, test.P, test.Observed, test.Expected);
            var design = CoxCovariates.Build(beyond, covariates, cohort);
            warnings.AddRange(design.Missing.Select(m => $"{m.PatientId}: {m.Reason}"));
            var rows = beyond.Where(o => design.Rows.ContainsKey(o.PatientId))
                .Select(o => CoxObservation.RightCensored(Time(o), o.OverallSurvival!.Event, [Treated(o) ? 1 : 0, .. design.Rows[o.PatientId]]))
                .ToList();
            cox = FitCox(rows, ["mtki", .. design.Names], ties, warnings);
        }

        return new LandmarkReport(at, beyond.Count, compared.Count - beyond.Count, [.. groups.Select(g => g.Summary)], logRank, cox, warnings);
    }
}
