using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

/// <summary>One group's restricted mean survival and median follow-up (reverse Kaplan–Meier).</summary>
public sealed record GroupRestrictedMean(string Name, int N, int Events, double Rmst, double Se, double? MedianFollowUp, double? MedianFollowUpLower, double? MedianFollowUpUpper);

/// <summary>RMST to tau of the naive groups and their difference (mtki − control).</summary>
public sealed record RestrictedMeanReport(double? Tau, IReadOnlyList<GroupRestrictedMean> Groups, RestrictedMeanDifference? Difference, IReadOnlyList<Exclusion> Excluded, IReadOnlyList<string> Warnings);

public static partial class StudyComparisons
{
    /// <summary>
    /// Restricted mean OS to tau after the anchor, mtki against control with the group fixed at the anchor (the naive
    /// grouping), and each group's median follow-up by reverse Kaplan–Meier (Royston &amp; Parmar, BMC Med Res Methodol
    /// 2013; 13:152; Schemper &amp; Smith, Control Clin Trials 1996; 17:343–346).
    /// </summary>
    /// <param name="outcomes">The cohort shown.</param>
    /// <param name="unit">Unit of tau and of every time in the answer.</param>
    /// <param name="tau">The horizon; null: the smaller of the two groups' largest follow-up times.</param>
    /// <remarks>An empty group has no RMST and there is no difference; tau beyond a group's last time is warned about.</remarks>
    public static RestrictedMeanReport RestrictedMean(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit, double? tau)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var warnings = new List<string>();
        var excluded = outcomes.Where(o => o.ExclusionReason is not null).Select(o => new Exclusion(o.PatientId, o.ExclusionReason!))
            .OrderBy(e => e.PatientId, StringComparer.Ordinal).ToList();
        var groups = StudyAnalyses.SurvivalGroups.Select(name => (Name: name, Data: Compared(outcomes).Where(o => o.Group == name)
            .Select(o => new SurvivalObservation(TimeUnits.FromDays(o.OverallSurvival!.Days, unit), o.OverallSurvival.Event)).ToList())).ToList();
        foreach (var g in groups.Where(g => g.Data.Count == 0)) warnings.Add($"no {g.Name} patients: no RMST for that group and no difference");
        var present = groups.Where(g => g.Data.Count > 0).ToList();
        var horizon = tau ?? (present.Count == 0 ? null : present.Min(g => g.Data.Max(o => o.Time)));
        if (horizon is not > 0)
        {
            warnings.Add("no follow-up after the anchor: no RMST");
            return new RestrictedMeanReport(null, [], null, excluded, warnings);
        }

        var results = new List<(string Name, RestrictedMean Mean)>();
        var rows = new List<GroupRestrictedMean>();
        foreach (var (name, data) in present)
        {
            var curve = KaplanMeier.Estimate(data);
            var mean = KaplanMeier.RestrictedMeanTo(curve, horizon.Value);
            if (horizon > data.Max(o => o.Time)) warnings.Add($"tau is beyond the last follow-up of the {name} group: its last survival is carried to tau");
            var followUp = KaplanMeier.MedianFollowUp(data);
            results.Add((name, mean));
            rows.Add(new GroupRestrictedMean(name, curve.N, curve.Events, mean.Mean, mean.StdErr, followUp.Time, followUp.Lower, followUp.Upper));
        }

        var difference = results.Count == 2 ? RestrictedMeanDifference.Of(results[0].Mean, results[1].Mean) : null;
        return new RestrictedMeanReport(horizon, rows, difference, excluded, warnings);
    }
}
