using System.Text.Json;
using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>
/// Kaplan–Meier curves, medians, quantiles and numbers at risk against R's <c>survfit</c>,
/// <c>summary.survfit</c>, <c>print.survfit</c> (summary table) and <c>quantile.survfit</c>, one row
/// per data set × group × confidence type of <c>reference/make-reference.R</c>.
/// </summary>
public class KaplanMeierReferenceTests
{
    private static readonly (string Name, ConfidenceType Type)[] ConfidenceTypes =
        [("log", ConfidenceType.Log), ("log-log", ConfidenceType.LogLog), ("plain", ConfidenceType.Plain)];

    /// <summary>Rows: (case "data set / group / conf.type", source naming R, survival and the data).</summary>
    public static TheoryData<string, string> CurveCases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var (dataSet, group) in Groups())
        {
            foreach (var (name, _) in ConfidenceTypes)
            {
                rows.Add($"{dataSet.GetProperty("name").GetString()}/{group}/{name}", ReferenceData.Source(dataSet));
            }
        }

        return rows;
    }

    /// <summary>Rows: (case "data set / group", source).</summary>
    public static TheoryData<string, string> GroupCases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var (dataSet, group) in Groups())
        {
            rows.Add($"{dataSet.GetProperty("name").GetString()}/{group}", ReferenceData.Source(dataSet));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(CurveCases))]
    public void Curve_matches_survfit(string @case, string source)
    {
        var (curve, r, conf) = Fit(@case);

        curve.N.ShouldBe(r.GetProperty("n").GetInt32(), source);
        curve.Events.ShouldBe(r.GetProperty("events").GetInt32(), source);
        var steps = curve.Steps;
        Column(steps, s => s.Time).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("time")), "time");
        Column(steps, s => s.AtRisk).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("n_risk")), "n.risk");
        Column(steps, s => s.Events).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("n_event")), "n.event");
        Column(steps, s => s.Censored).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("n_censor")), "n.censor");
        Column(steps, s => s.Survival).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("surv")), "surv");
        Column(steps, s => s.StdErrLogSurvival).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("std_err")), "std.err");
        Column(steps, s => s.Lower).ShouldMatchR(ReferenceData.Numbers(conf.GetProperty("lower")), "lower");
        Column(steps, s => s.Upper).ShouldMatchR(ReferenceData.Numbers(conf.GetProperty("upper")), "upper");

        // summary(fit) shows event times only, with the standard error of S rather than of log S.
        var eventSteps = steps.Where(s => s.Events > 0).ToList();
        Column(eventSteps, s => s.Time).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("summary_time")), "summary time");
        Column(eventSteps, s => s.StdErr).ShouldMatchR(ReferenceData.Numbers(r.GetProperty("summary_std_err")), "summary std.err");
    }

    [Theory]
    [MemberData(nameof(CurveCases))]
    public void Median_matches_print_survfit(string @case, string source)
    {
        var (curve, _, conf) = Fit(@case);

        var median = KaplanMeier.Median(curve);

        median.Probability.ShouldBe(0.5, source);
        median.Time.ShouldMatchR(ReferenceData.Number(conf.GetProperty("median")), "median");
        median.Lower.ShouldMatchR(ReferenceData.Number(conf.GetProperty("median_lcl")), "0.95LCL");
        median.Upper.ShouldMatchR(ReferenceData.Number(conf.GetProperty("median_ucl")), "0.95UCL");
    }

    [Theory]
    [MemberData(nameof(CurveCases))]
    public void Quantiles_match_quantile_survfit(string @case, string source)
    {
        var (curve, _, conf) = Fit(@case);
        var probabilities = ReferenceData.Numbers(conf.GetProperty("probs"));

        var quantiles = probabilities.Select(p => KaplanMeier.Quantile(curve, p!.Value)).ToList();

        quantiles.Count.ShouldBeGreaterThan(0, source);
        Column(quantiles, q => q.Time).ShouldMatchR(ReferenceData.Numbers(conf.GetProperty("quantile")), "quantile");
        Column(quantiles, q => q.Lower).ShouldMatchR(ReferenceData.Numbers(conf.GetProperty("quantile_lower")), "lower");
        Column(quantiles, q => q.Upper).ShouldMatchR(ReferenceData.Numbers(conf.GetProperty("quantile_upper")), "upper");
    }

    [Theory]
    [MemberData(nameof(GroupCases))]
    public void Number_at_risk_matches_summary_survfit(string @case, string source)
    {
        var (data, expected) = Group(@case);
        var times = ReferenceData.Numbers(expected.GetProperty("risk_times")).Select(t => t!.Value).ToArray();
        var nRisk = ReferenceData.Numbers(expected.GetProperty("n_risk_at"));

        var fromCurve = KaplanMeier.NumberAtRisk(KaplanMeier.Estimate(data), times);
        var fromData = KaplanMeier.NumberAtRisk(data, times);

        Column(fromCurve, n => n).ShouldMatchR(nRisk, $"n.risk ({source})");
        fromData.ShouldBe(fromCurve);
    }

    private static IEnumerable<(JsonElement DataSet, int Group)> Groups() =>
        ReferenceData.DataSets.SelectMany(d => d.GetProperty("curves").EnumerateArray()
            .Select(c => (d, c.GetProperty("group").GetInt32())));

    private static (List<SurvivalObservation> Data, JsonElement Curve) Group(string @case)
    {
        var parts = @case.Split('/');
        var dataSet = ReferenceData.DataSet(parts[0]);
        var group = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var data = ReferenceData.Observations(dataSet, group).Select(o => new SurvivalObservation(o.Time, o.Event)).ToList();
        return (data, ReferenceData.Curve(dataSet, group));
    }

    private static (SurvivalCurve Curve, JsonElement Expected, JsonElement Conf) Fit(string @case)
    {
        var (data, expected) = Group(@case);
        var confName = @case.Split('/')[2];
        var type = ConfidenceTypes.Single(c => c.Name == confName).Type;
        return (KaplanMeier.Estimate(data, type), expected, expected.GetProperty(confName));
    }

    private static double?[] Column<T>(IEnumerable<T> rows, Func<T, double?> select) => [.. rows.Select(select)];
}
