using System.Text.Json;
using Timeline.Projections.Analysis;

namespace Timeline.Tests.Statistics;

/// <summary>Cox models against R's <c>coxph</c> (reference/make-comparisons-reference.R), at relative 1e-6.</summary>
public class CoxReferenceTests
{
    public static TheoryData<string, string> Cases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var c in ComparisonReference.CoxCases)
        {
            rows.Add(c.GetProperty("name").GetString()!, $"{ComparisonReference.Versions}: {c.GetProperty("source").GetString()}");
        }

        return rows;
    }

    internal static (List<CoxObservation> Rows, string[] Names) Design(JsonElement c)
    {
        var names = ComparisonReference.Strings(c.GetProperty("names"));
        var stop = ComparisonReference.Doubles(c.GetProperty("stop"));
        var start = c.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.Array
            ? ComparisonReference.Doubles(s) : [.. stop.Select(_ => double.NegativeInfinity)];
        var events = ComparisonReference.Doubles(c.GetProperty("event"));
        var columns = names.Select(n => ComparisonReference.Doubles(c.GetProperty("columns").GetProperty(n))).ToArray();
        var rows = Enumerable.Range(0, stop.Length)
            .Select(i => new CoxObservation(start[i], stop[i], events[i] == 1, [.. columns.Select(col => col[i])]))
            .ToList();
        return (rows, names);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cox_matches_coxph(string name, string source)
    {
        var c = ComparisonReference.CoxCase(name);
        var (rows, names) = Design(c);
        var ties = c.GetProperty("ties").GetString() == "breslow" ? CoxTies.Breslow : CoxTies.Efron;

        var fit = Cox.Fit(rows, names, ties);

        fit.Iterations.ShouldBe(c.GetProperty("iter").GetInt32(), source);
        fit.N.ShouldBe(c.GetProperty("n").GetInt32());
        fit.Events.ShouldBe(c.GetProperty("events").GetInt32());
        fit.InfiniteTerms.ShouldBe(ComparisonReference.Strings(c.GetProperty("infinite")), source);
        fit.Converged.ShouldBeTrue();
        void Column(string key, Func<CoxTerm, double> value)
        {
            var expected = ComparisonReference.Doubles(c.GetProperty(key));
            for (var k = 0; k < names.Length; k++) value(fit.Terms[k]).ShouldEqualR(expected[k], $"{name} {key}[{names[k]}]");
        }

        Column("coef", t => t.Coef);
        Column("se", t => t.StdErr);
        Column("z", t => t.Z);
        Column("p", t => t.P);
        Column("hr", t => t.HazardRatio);
        Column("lower", t => t.Lower);
        Column("upper", t => t.Upper);
        var loglik = ComparisonReference.Doubles(c.GetProperty("loglik"));
        fit.NullLogLikelihood.ShouldEqualR(loglik[0], "loglik[1]");
        fit.LogLikelihood.ShouldEqualR(loglik[1], "loglik[2]");
        Test(fit.LikelihoodRatio, c.GetProperty("lr"), "lr");
        Test(fit.Wald, c.GetProperty("wald"), "wald");
        Test(fit.Score, c.GetProperty("score"), "score");
        fit.Concordance.ShouldEqualR(c.GetProperty("concordance").GetDouble(), "concordance");
        fit.ConcordanceStdErr.ShouldEqualR(c.GetProperty("concordance_se").GetDouble(), "concordance se");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Proportional_hazards_test_matches_cox_zph(string name, string source)
    {
        var c = ComparisonReference.CoxCase(name);
        if (!c.TryGetProperty("zph", out var zph) || zph.ValueKind != JsonValueKind.Object) return; // R refused (e.g. separated)
        var (rows, names) = Design(c);
        var fit = Cox.Fit(rows, names, c.GetProperty("ties").GetString() == "breslow" ? CoxTies.Breslow : CoxTies.Efron);
        var termNames = ComparisonReference.Strings(zph.GetProperty("terms"));
        var terms = termNames.Where(t => t != "GLOBAL")
            .Select(t => (t, (IReadOnlyList<int>)[.. ComparisonReference.Doubles(zph.GetProperty("columns").GetProperty(t)).Select(v => (int)v)]))
            .ToList();

        var tests = Cox.ProportionalHazards(rows, fit, terms);

        tests.Select(t => t.Term).ShouldBe(termNames, source);
        var chisq = ComparisonReference.Doubles(zph.GetProperty("chisq"));
        var df = ComparisonReference.Doubles(zph.GetProperty("df"));
        var p = ComparisonReference.Doubles(zph.GetProperty("p"));
        for (var k = 0; k < tests.Count; k++)
        {
            tests[k].ChiSquare.ShouldEqualR(chisq[k], $"{name} zph chisq[{termNames[k]}]");
            tests[k].Df.ShouldBe((int)df[k]);
            tests[k].P.ShouldEqualR(p[k], $"{name} zph p[{termNames[k]}]");
        }
    }

    internal static void Test(ChiSquareTest actual, JsonElement expected, string what)
    {
        actual.ChiSquare.ShouldEqualR(expected.GetProperty("chisq").GetDouble(), $"{what} chisq");
        actual.Df.ShouldBe(expected.GetProperty("df").GetInt32(), what);
        actual.P.ShouldEqualR(expected.GetProperty("p").GetDouble(), $"{what} p");
    }
}
