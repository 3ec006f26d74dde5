using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>
/// RMST to tau (R's <c>print(fit, rmean = tau)</c>), the difference of two, and the reverse Kaplan–Meier median
/// follow-up, against reference/make-comparisons-reference.R at relative 1e-6.
/// </summary>
public class RestrictedMeanReferenceTests
{
    public static TheoryData<string> Cases()
    {
        var rows = new TheoryData<string>();
        foreach (var c in ComparisonReference.Json.GetProperty("rmst").EnumerateArray()) rows.Add(c.GetProperty("name").GetString()!);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Restricted_means_and_median_follow_up_match_R(string name)
    {
        var c = ComparisonReference.Json.GetProperty("rmst").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var time = ComparisonReference.Doubles(c.GetProperty("time"));
        var status = ComparisonReference.Doubles(c.GetProperty("status"));
        var group = ComparisonReference.Doubles(c.GetProperty("group"));
        var tau = c.GetProperty("tau").GetDouble();
        var groups = group.Distinct().Order().Select(g => Enumerable.Range(0, time.Length).Where(i => group[i] == g)
            .Select(i => new SurvivalObservation(time[i], status[i] == 1)).ToList()).ToList();
        // Default tau: the smaller of the groups' largest follow-up times.
        if (name is "aml" or "seeded") groups.Min(g => g.Max(o => o.Time)).ShouldBe(tau);

        var means = groups.Select(g => KaplanMeier.RestrictedMeanTo(KaplanMeier.Estimate(g), tau)).ToList();
        var rmean = ComparisonReference.Doubles(c.GetProperty("rmean"));
        var rse = ComparisonReference.Doubles(c.GetProperty("rmean_se"));
        for (var j = 0; j < means.Count; j++)
        {
            means[j].Mean.ShouldEqualR(rmean[j], $"{name} rmean[{j}]");
            means[j].StdErr.ShouldEqualR(rse[j], $"{name} se(rmean)[{j}]");
        }

        var difference = RestrictedMeanDifference.Of(means[0], means[1]);
        difference.Difference.ShouldEqualR(c.GetProperty("difference").GetDouble(), "difference");
        difference.StdErr.ShouldEqualR(c.GetProperty("difference_se").GetDouble(), "difference se");
        difference.Lower.ShouldEqualR(c.GetProperty("lower").GetDouble(), "lower");
        difference.Upper.ShouldEqualR(c.GetProperty("upper").GetDouble(), "upper");
        difference.P.ShouldEqualR(c.GetProperty("p").GetDouble(), "p");

        var median = ReferenceData.Numbers(c.GetProperty("followup_median"));
        var lower = ReferenceData.Numbers(c.GetProperty("followup_lower"));
        var upper = ReferenceData.Numbers(c.GetProperty("followup_upper"));
        for (var j = 0; j < groups.Count; j++)
        {
            var followUp = KaplanMeier.MedianFollowUp(groups[j]);
            followUp.Time.ShouldMatchR(median[j], $"{name} follow-up median[{j}]");
            followUp.Lower.ShouldMatchR(lower[j], $"{name} follow-up lower[{j}]");
            followUp.Upper.ShouldMatchR(upper[j], $"{name} follow-up upper[{j}]");
        }
    }
}
