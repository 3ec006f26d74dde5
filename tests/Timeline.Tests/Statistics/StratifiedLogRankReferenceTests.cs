using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>Stratified and weighted log-rank against R's <c>survdiff(… + strata(x), rho = r)</c>, at relative 1e-6.</summary>
public class StratifiedLogRankReferenceTests
{
    public static TheoryData<string> Cases()
    {
        var rows = new TheoryData<string>();
        foreach (var c in ComparisonReference.Json.GetProperty("survdiff").EnumerateArray()) rows.Add(c.GetProperty("name").GetString()!);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stratified_weighted_log_rank_matches_survdiff(string name)
    {
        var c = ComparisonReference.Json.GetProperty("survdiff").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var time = ComparisonReference.Doubles(c.GetProperty("time"));
        var status = ComparisonReference.Doubles(c.GetProperty("status"));
        var group = ComparisonReference.Doubles(c.GetProperty("group"));
        var stratum = ComparisonReference.Doubles(c.GetProperty("stratum"));
        var data = Enumerable.Range(0, time.Length).Select(i => (time[i], status[i] == 1, (int)group[i], (int)stratum[i])).ToList();

        var result = LogRank.Test(data, c.GetProperty("rho").GetDouble());

        var observed = ComparisonReference.Doubles(c.GetProperty("observed"));
        var expected = ComparisonReference.Doubles(c.GetProperty("expected"));
        for (var j = 0; j < observed.Length; j++)
        {
            result.Observed[j].ShouldEqualR(observed[j], $"{name} obs[{j}]");
            result.Expected[j].ShouldEqualR(expected[j], $"{name} exp[{j}]");
        }

        var variance = c.GetProperty("variance").EnumerateArray().Select(ComparisonReference.Doubles).ToList();
        for (var j = 0; j < variance.Count; j++)
        {
            for (var l = 0; l < variance.Count; l++) result.Variance[j][l].ShouldEqualR(variance[j][l], $"{name} var[{j},{l}]");
        }

        result.ChiSquare.ShouldEqualR(c.GetProperty("chisq").GetDouble(), $"{name} chisq");
        result.Df.ShouldBe(c.GetProperty("df").GetInt32());
        result.P.ShouldEqualR(c.GetProperty("p").GetDouble(), $"{name} p");
    }

    [Fact]
    public void One_stratum_and_rho_zero_is_the_ordinary_test()
    {
        var observations = ReferenceData.Observations(ReferenceData.DataSet("three-groups"));
        var ordinary = LogRank.Test(observations);
        var stratified = LogRank.Test([.. observations.Select(o => (o.Time, o.Event, o.Group, 1))], 0);
        stratified.ChiSquare.ShouldBe(ordinary.ChiSquare, 1e-12);
        stratified.Expected.ShouldBe(ordinary.Expected, 1e-12);
    }
}
