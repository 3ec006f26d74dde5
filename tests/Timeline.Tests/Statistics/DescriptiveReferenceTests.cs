using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>Median, extremes and type-7 quantiles against R's <c>median</c>, <c>min</c>, <c>max</c>, <c>quantile</c>.</summary>
public class DescriptiveReferenceTests
{
    /// <summary>Rows: (vector name, source).</summary>
    public static TheoryData<string, string> Cases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var row in ReferenceData.Json.GetProperty("descriptive").EnumerateArray())
        {
            rows.Add(row.GetProperty("name").GetString()!, $"{ReferenceData.Versions}, stats::quantile(type = 7), synthetic vector");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Summary_matches_R(string name, string source)
    {
        var expected = ReferenceData.Json.GetProperty("descriptive").EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == name);
        var x = ReferenceData.Numbers(expected.GetProperty("x")).Select(v => v!.Value).ToArray();

        var quartiles = Descriptive.Quartiles(x);

        quartiles.ShouldNotBeNull(source);
        Descriptive.Median(x).ShouldMatchR(ReferenceData.Number(expected.GetProperty("median")), "median");
        Descriptive.Min(x).ShouldMatchR(ReferenceData.Number(expected.GetProperty("min")), "min");
        Descriptive.Max(x).ShouldMatchR(ReferenceData.Number(expected.GetProperty("max")), "max");
        quartiles.FirstQuartile.ShouldMatchR(ReferenceData.Number(expected.GetProperty("q1")), "25%");
        quartiles.Median.ShouldMatchR(ReferenceData.Number(expected.GetProperty("median")), "50%");
        quartiles.ThirdQuartile.ShouldMatchR(ReferenceData.Number(expected.GetProperty("q3")), "75%");
        Descriptive.Quantile(x, 0.1).ShouldMatchR(ReferenceData.Number(expected.GetProperty("p10")), "10%");
        Descriptive.Quantile(x, 0.9).ShouldMatchR(ReferenceData.Number(expected.GetProperty("p90")), "90%");
    }
}
