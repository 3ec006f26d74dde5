using Timeline.Projections.Analysis;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

/// <summary>
/// The study's figures from the per-patient outcomes: plain functions, no storage. The caller filters by
/// histology; every interval is converted from days to the requested unit before estimation.
/// </summary>
public static class StudyAnalyses
{
    public static readonly string[] SurvivalGroups = ["mtki", "control"];

    /// <summary>OS after the second-line relapse anchor, mTKI vs control, with the log-rank test when both groups have patients.</summary>
    public static OverallSurvivalReport OverallSurvival(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit)
    {
        var groups = SurvivalGroups.Select(name =>
        {
            var data = outcomes.Where(o => o.Group == name && o.OverallSurvival is not null)
                .Select(o => Observation(o.OverallSurvival!, unit)).ToList();
            var s = SurvivalSummary.Of(data);
            return (Name: name, Data: data, Summary: new GroupSurvival(name, s.N, s.Events, s.Median, s.MedianLower, s.MedianUpper, s.Curve));
        }).ToList();

        LogRankSummary? logRank = null;
        CoxSummary? cox = null;
        var warnings = new List<string>();
        if (groups.All(g => g.Data.Count > 0))
        {
            var test = LogRank.Test(groups.Select(g => (IReadOnlyList<SurvivalObservation>)g.Data).ToList());
            logRank = new LogRankSummary(test.ChiSquare, test.Df, test.P, test.Observed, test.Expected);
            warnings.AddRange(groups.Where(g => g.Summary.Events == 0).Select(g => $"no deaths in the {g.Name} group"));
            // The group is the Cox covariate: 1 for mtki, 0 for control (the reference).
            var rows = groups.SelectMany(g => g.Data.Select(o => CoxObservation.RightCensored(o.Time, o.Event, g.Name == "mtki" ? 1 : 0))).ToList();
            cox = StudyComparisons.FitCox(rows, ["mtki"], CoxTies.Efron, warnings);
        }
        var excluded = outcomes.Where(o => o.ExclusionReason is not null)
            .Select(o => new Exclusion(o.PatientId, o.ExclusionReason!)).ToList();
        excluded.Sort((a, b) => string.CompareOrdinal(a.PatientId, b.PatientId)); // ids are unique: no stability needed
        return new OverallSurvivalReport(groups.Select(g => g.Summary).ToList(), logRank, excluded, cox, warnings);
    }

    /// <summary>TTP and PFS from the first mTKI start, over every patient who started an mTKI line.</summary>
    public static TimeToProgressionReport TimeToProgression(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit)
    {
        var treated = outcomes.Where(o => o.StartedMtki).ToList();
        return new TimeToProgressionReport(
            SurvivalSummary.Of(treated.Select(o => Observation(o.TimeToProgression!, unit)).ToList()),
            SurvivalSummary.Of(treated.Select(o => Observation(o.ProgressionFreeSurvival!, unit)).ToList()));
    }

    /// <summary>Best overall response on the first mTKI line; ORR over all who started (always shown) and over the evaluable.</summary>
    public static ResponseReport Response(IReadOnlyList<PatientOutcome> outcomes)
    {
        var treated = outcomes.Where(o => o.StartedMtki).ToList();
        int Count(RecistCategory c) => treated.Count(o => o.BestOverallResponse == c);
        var counts = new ResponseCounts(Count(RecistCategory.CR), Count(RecistCategory.PR), Count(RecistCategory.SD), Count(RecistCategory.PD), Count(RecistCategory.NE));
        var responders = counts.CR + counts.PR;
        var evaluable = treated.Count - counts.NE;
        BinomialInterval? all = treated.Count > 0 ? ClopperPearson.Interval(responders, treated.Count) : null;
        BinomialInterval? eval = evaluable > 0 ? ClopperPearson.Interval(responders, evaluable) : null;
        return new ResponseReport(treated.Count, evaluable, counts, all?.Proportion, all?.Lower, all?.Upper,
            eval?.Proportion, eval?.Lower, eval?.Upper,
            Subgroups(treated, o => o.FirstMtkiDrug ?? "unknown"),
            Subgroups(treated, o => Histologies.NameOf(o.Histology) ?? o.Histology ?? "unknown"));
    }

    public static CohortReport Cohort(IReadOnlyList<PatientOutcome> outcomes)
    {
        var treated = outcomes.Where(o => o.StartedMtki).ToList();
        var ages = treated.Where(o => o.AgeAtMtkiStart is not null).Select(o => (double)o.AgeAtMtkiStart!.Value).ToList();
        var byHistology = outcomes.GroupBy(o => o.Histology)
            .Select(g => new HistologyTally(g.Key, Histologies.NameOf(g.Key), g.Count(), g.Count(o => o.StartedMtki)))
            .OrderByDescending(t => t.Patients).ThenBy(t => t.Histology, StringComparer.Ordinal).ToList();
        var byDrug = treated.GroupBy(o => o.FirstMtkiDrug ?? "unknown")
            .Select(g => new DrugTally(g.Key, g.Count())).OrderByDescending(t => t.Patients).ThenBy(t => t.Drug, StringComparer.Ordinal).ToList();
        return new CohortReport(outcomes.Count, treated.Count, byHistology, byDrug,
            Descriptive.Median(ages), Descriptive.Min(ages), Descriptive.Max(ages));
    }

    static List<ResponseSubgroup> Subgroups(List<PatientOutcome> treated, Func<PatientOutcome, string> key) =>
        treated.GroupBy(key).Select(g =>
        {
            var responders = g.Count(o => o.BestOverallResponse is RecistCategory.CR or RecistCategory.PR);
            return new ResponseSubgroup(g.Key, g.Count(), responders, ClopperPearson.Proportion(responders, g.Count()));
        }).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    static SurvivalObservation Observation(SurvivalInterval interval, TimeUnit unit) =>
        new(TimeUnits.FromDays(interval.Days, unit), interval.Event);
}
