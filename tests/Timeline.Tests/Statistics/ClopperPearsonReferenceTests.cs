using System.Globalization;
using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>Exact binomial intervals against R's <c>binom.test(x, n, conf.level = level)$conf.int</c>.</summary>
public class ClopperPearsonReferenceTests
{
    /// <summary>Rows: (x, n, level, source).</summary>
    public static TheoryData<int, int, double, string> Cases()
    {
        var rows = new TheoryData<int, int, double, string>();
        foreach (var row in ReferenceData.Json.GetProperty("binomial").EnumerateArray())
        {
            rows.Add(
                row.GetProperty("x").GetInt32(),
                row.GetProperty("n").GetInt32(),
                row.GetProperty("level").GetDouble(),
                $"{ReferenceData.Versions}, stats::binom.test");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Interval_matches_binom_test(int x, int n, double level, string source)
    {
        var expected = ReferenceData.Json.GetProperty("binomial").EnumerateArray().Single(r =>
            r.GetProperty("x").GetInt32() == x && r.GetProperty("n").GetInt32() == n
            && r.GetProperty("level").GetDouble() == level);

        var interval = ClopperPearson.Interval(x, n, level);

        var what = string.Create(CultureInfo.InvariantCulture, $"{x}/{n} at {level} ({source})");
        interval.Proportion.ShouldMatchR(ReferenceData.Number(expected.GetProperty("estimate")), $"estimate {what}");
        interval.Lower.ShouldMatchR(ReferenceData.Number(expected.GetProperty("lower")), $"lower {what}");
        interval.Upper.ShouldMatchR(ReferenceData.Number(expected.GetProperty("upper")), $"upper {what}");
        ClopperPearson.Proportion(x, n).ShouldBe(interval.Proportion);
    }
}
