using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>The k-sample log-rank test against R's <c>survdiff(Surv(time, status) ~ factor(group))</c>.</summary>
public class LogRankReferenceTests
{
    /// <summary>Rows: (data set, source), for every data set of make-reference.R with two groups or more.</summary>
    public static TheoryData<string, string> Cases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var dataSet in ReferenceData.DataSets.Where(d => d.TryGetProperty("logrank", out _)))
        {
            rows.Add(dataSet.GetProperty("name").GetString()!, ReferenceData.Source(dataSet));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Log_rank_matches_survdiff(string dataSetName, string source)
    {
        var dataSet = ReferenceData.DataSet(dataSetName);
        var expected = dataSet.GetProperty("logrank");
        var observations = ReferenceData.Observations(dataSet);

        var result = LogRank.Test(observations);

        result.Groups.ShouldBe([.. observations.Select(o => o.Group).Distinct().Order()], source);
        result.Observed.Select(v => (double?)v).ToList().ShouldMatchR(ReferenceData.Numbers(expected.GetProperty("observed")), "obs");
        result.Expected.Select(v => (double?)v).ToList().ShouldMatchR(ReferenceData.Numbers(expected.GetProperty("expected")), "exp");
        var variance = expected.GetProperty("variance").EnumerateArray().Select(ReferenceData.Numbers).ToList();
        result.Variance.Count.ShouldBe(variance.Count);
        for (var j = 0; j < variance.Count; j++)
        {
            result.Variance[j].Select(v => (double?)v).ToList().ShouldMatchR(variance[j], $"var[{j}]");
        }

        result.ChiSquare.ShouldMatchR(ReferenceData.Number(expected.GetProperty("chisq")), "chisq");
        result.Df.ShouldBe(expected.GetProperty("df").GetInt32(), source);
        result.P.ShouldMatchR(ReferenceData.Number(expected.GetProperty("p")), "p");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grouped_lists_give_the_same_test(string dataSetName, string source)
    {
        var observations = ReferenceData.Observations(ReferenceData.DataSet(dataSetName));
        var groups = observations.GroupBy(o => o.Group).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<SurvivalObservation>)[.. g.Select(o => new SurvivalObservation(o.Time, o.Event))])
            .ToList();

        var fromLists = LogRank.Test(groups);
        var fromLabels = LogRank.Test(observations);

        fromLists.ChiSquare.ShouldBe(fromLabels.ChiSquare, source);
        fromLists.Expected.ShouldBe(fromLabels.Expected);
        fromLists.N.ShouldBe(fromLabels.N);
    }
}
