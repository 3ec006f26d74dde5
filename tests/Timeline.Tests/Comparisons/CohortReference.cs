using System.Text.Json;
using Timeline.Tests.Statistics;

namespace Timeline.Tests.Comparisons;

/// <summary>
/// R's answers for the synthetic cohort of <see cref="TimeDependentComparisonTests"/>, from
/// <c>reference/make-cohort-reference.R</c> (committed with its JSON; the tests never run R).
/// </summary>
internal static class CohortReference
{
    private const string RelativeFile = "tests/Timeline.Tests/Comparisons/reference/cohort-reference.json";

    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, RelativeFile);
            if (File.Exists(candidate))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(candidate));
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException($"{RelativeFile} not found above {AppContext.BaseDirectory}.");
    });

    public static JsonElement Json => Root.Value;

    /// <summary>R's coefficient names as the app names them (sexmale → sex=male, histology9040/3 → histology=9040/3).</summary>
    public static string AppName(string r) => r switch
    {
        "sexmale" => "sex=male",
        "metastaticTRUE" => "metastatic=true",
        _ when r.StartsWith("histology", StringComparison.Ordinal) => "histology=" + r["histology".Length..],
        "group" => "mtki",
        _ when r.StartsWith("I(as.integer(group", StringComparison.Ordinal) => "mtki",
        _ => r,
    };

    /// <summary>Every number of a Cox answer against R's, at relative 1e-6; returns how many were compared.</summary>
    public static int ShouldMatchCox(JsonElement answer, JsonElement r, string what)
    {
        var names = ComparisonReference.Strings(r.GetProperty("names")).Select(AppName).ToArray();
        var terms = answer.GetProperty("terms").EnumerateArray().ToList();
        terms.Select(t => t.GetProperty("name").GetString()).ShouldBe(names, what);
        var compared = 0;
        void Column(string json, string key)
        {
            var expected = ComparisonReference.Doubles(r.GetProperty(key));
            for (var k = 0; k < names.Length; k++, compared++)
            {
                terms[k].GetProperty(json).GetDouble().ShouldEqualR(expected[k], $"{what} {json}[{names[k]}]");
            }
        }

        Column("coef", "coef");
        Column("se", "se");
        Column("z", "z");
        Column("p", "p");
        Column("hazardRatio", "hr");
        Column("lower", "lower");
        Column("upper", "upper");
        foreach (var (json, key) in new[] { ("likelihoodRatio", "lr"), ("wald", "wald"), ("score", "score") })
        {
            compared += ShouldMatchTest(answer.GetProperty(json), r.GetProperty(key), $"{what} {json}");
        }

        answer.GetProperty("concordance").GetDouble().ShouldEqualR(r.GetProperty("concordance").GetDouble(), $"{what} concordance");
        answer.GetProperty("concordanceSe").GetDouble().ShouldEqualR(r.GetProperty("concordance_se").GetDouble(), $"{what} concordance se");
        answer.GetProperty("n").GetInt32().ShouldBe(r.GetProperty("n").GetInt32(), what);
        answer.GetProperty("events").GetInt32().ShouldBe(r.GetProperty("events").GetInt32(), what);
        answer.GetProperty("iterations").GetInt32().ShouldBe(r.GetProperty("iter").GetInt32(), what);
        if (r.TryGetProperty("zph", out var zph) && zph.ValueKind == JsonValueKind.Object)
        {
            var tests = answer.GetProperty("proportionalHazards").EnumerateArray().ToList();
            var termNames = ComparisonReference.Strings(zph.GetProperty("terms"));
            tests.Select(t => t.GetProperty("term").GetString()).ShouldBe(termNames.Select(TermName), what);
            var chisq = ComparisonReference.Doubles(zph.GetProperty("chisq"));
            var p = ComparisonReference.Doubles(zph.GetProperty("p"));
            for (var k = 0; k < tests.Count; k++, compared += 2)
            {
                tests[k].GetProperty("chiSquare").GetDouble().ShouldEqualR(chisq[k], $"{what} zph chisq[{termNames[k]}]");
                tests[k].GetProperty("p").GetDouble().ShouldEqualR(p[k], $"{what} zph p[{termNames[k]}]");
            }
        }

        return compared + 5;
    }

    /// <summary>R's term names as the app names them (the group indicator is mtki).</summary>
    static string TermName(string r) => r is "group" || r.StartsWith("I(as.integer(group", StringComparison.Ordinal) ? "mtki" : r;

    public static int ShouldMatchTest(JsonElement answer, JsonElement r, string what)
    {
        answer.GetProperty("chiSquare").GetDouble().ShouldEqualR(r.GetProperty("chisq").GetDouble(), $"{what} chi-square");
        answer.GetProperty("p").GetDouble().ShouldEqualR(r.GetProperty("p").GetDouble(), $"{what} p");
        if (r.TryGetProperty("df", out var df)) answer.GetProperty("df").GetInt32().ShouldBe(df.GetInt32(), what);
        return 2;
    }

    /// <summary>A curve of the answer (time, atRisk, events, censored, survival, lower, upper) against R's survfit stratum.</summary>
    public static int ShouldMatchCurve(JsonElement points, JsonElement r, string what)
    {
        var rows = points.EnumerateArray().ToList();
        var time = ComparisonReference.Doubles(r.GetProperty("time"));
        rows.Count.ShouldBe(time.Length, what);
        var risk = ComparisonReference.Doubles(r.GetProperty("n_risk"));
        var events = ComparisonReference.Doubles(r.GetProperty("n_event"));
        var censored = ComparisonReference.Doubles(r.GetProperty("n_censor"));
        var surv = ComparisonReference.Doubles(r.GetProperty("surv"));
        var lower = ReferenceData.Numbers(r.GetProperty("lower"));
        var upper = ReferenceData.Numbers(r.GetProperty("upper"));
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].GetProperty("time").GetDouble().ShouldEqualR(time[i], $"{what} time[{i}]");
            rows[i].GetProperty("atRisk").GetInt32().ShouldBe((int)risk[i], $"{what} atRisk[{i}]");
            rows[i].GetProperty("events").GetInt32().ShouldBe((int)events[i], $"{what} events[{i}]");
            rows[i].GetProperty("censored").GetInt32().ShouldBe((int)censored[i], $"{what} censored[{i}]");
            rows[i].GetProperty("survival").GetDouble().ShouldEqualR(surv[i], $"{what} surv[{i}]");
            Limit(rows[i].GetProperty("lower"), lower[i], $"{what} lower[{i}]");
            Limit(rows[i].GetProperty("upper"), upper[i], $"{what} upper[{i}]");
        }

        return rows.Count * 7;
    }

    static void Limit(JsonElement actual, double? expected, string what)
    {
        if (expected is null || double.IsNaN(expected.Value)) actual.ValueKind.ShouldBe(JsonValueKind.Null, what);
        else actual.GetDouble().ShouldEqualR(expected.Value, what);
    }
}
