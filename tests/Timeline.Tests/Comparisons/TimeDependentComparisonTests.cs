using System.Net;
using System.Text.Json;
using Timeline.Projections.Study;
using Timeline.Tests.Api;
using Timeline.Tests.Statistics;
using Xunit.Abstractions;

namespace Timeline.Tests.Comparisons;

/// <summary>
/// A SYNTHETIC cohort recorded through the API (anchor 2019-09-01 for everyone: mTKI from the anchor day, mTKI on
/// the day of death, no follow-up after the anchor, tied deaths inside and across exposures), and the comparison
/// routes' answers against R on the same intervals (reference/make-cohort-reference.R), at relative 1e-6.
/// </summary>
public sealed class TimeDependentComparisonTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    static readonly DateOnly Anchor = new(2019, 9, 1);

    // id, birth, sex, metastatic, histology, OS days, death, first mTKI start (days from the anchor) — as in the R script.
    static readonly (string Id, string Birth, string Sex, bool Metastatic, string Histology, int Days, bool Death, int? Mtki)[] Cohort =
    [
        ("TD-01", "2004-05-01", "female", false, "9180/3", 150, true, 0),
        ("TD-02", "2003-02-10", "male", true, "9180/3", 60, true, 60),
        ("TD-03", "2005-07-20", "female", false, "9180/3", 0, false, null),
        ("TD-04", "2002-11-30", "male", true, "9180/3", 90, true, null),
        ("TD-05", "2006-01-15", "female", true, "9180/3", 90, true, null),
        ("TD-06", "2001-04-04", "male", false, "9180/3", 240, true, 30),
        ("TD-07", "2004-09-09", "female", true, "9040/3", 400, false, 20),
        ("TD-08", "2003-03-03", "male", false, "9180/3", 240, false, null),
        ("TD-09", "2002-06-06", "female", false, "9180/3", 90, true, 45),
        ("TD-10", "2005-12-12", "male", true, "9040/3", 180, true, null),
        ("TD-11", "2004-02-29", "female", false, "9180/3", 300, true, 100),
        ("TD-12", "2003-08-08", "male", false, "9180/3", 30, true, null),
        ("TD-13", "2002-01-01", "female", true, "9040/3", 120, false, null),
        ("TD-14", "2001-10-10", "male", false, "9180/3", 200, true, 10),
    ];

    static string Date(int days) => Anchor.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    async Task RecordCohort()
    {
        async Task Post(string url, object body) => (await Api.Post(url, body)).ShouldHave(HttpStatusCode.OK);
        foreach (var p in Cohort)
        {
            (await Api.Post("/api/patients", new { patientId = p.Id, birthDate = p.Birth, sex = p.Sex })).ShouldHave(HttpStatusCode.Created);
            var at = $"/api/patients/{p.Id}";
            await Post($"{at}/diagnosis", new { date = "2018-10-01", histology = p.Histology, primarySite = "femur", metastatic = p.Metastatic });
            await Post($"{at}/treatment-lines", new { line = 1, startDate = "2019-01-01", agents = new[] { "methotrexate", "doxorubicin", "cisplatin" } });
            await Post($"{at}/treatment-lines", new { line = 2, startDate = "2019-06-01", agents = new[] { "ifosfamide", "etoposide" } });
            await Post($"{at}/progressions", new { date = Date(0) });
            if (p.Mtki is { } start) await Post($"{at}/treatment-lines", new { line = 3, startDate = Date(start), agents = new[] { "sorafenib" } });
            if (p.Death) await Post($"{at}/death", new { date = Date(p.Days), cause = "disease" });
            else if (p.Days > 0) await Post($"{at}/follow-ups", new { date = Date(p.Days) });
        }
    }

    [Fact]
    public async Task Time_dependent_and_landmark_answers_equal_R_on_the_recorded_cohort()
    {
        await RecordCohort();
        var r = CohortReference.Json;
        var compared = 0;

        // The intervals, in days, exactly R's tmerge; TD-03 has none and is excluded with the reason.
        var rows = (await Api.Get("/api/analyses/overall-survival/time-dependent/intervals?unit=days")).ShouldHave(HttpStatusCode.OK).Json;
        var intervals = rows.GetProperty("intervals").EnumerateArray().ToList();
        var ri = r.GetProperty("intervals");
        intervals.Select(i => i.GetProperty("patientId").GetString()).ShouldBe(ComparisonReference.Strings(ri.GetProperty("id")));
        intervals.Select(i => i.GetProperty("tstart").GetDouble()).ShouldBe(ComparisonReference.Doubles(ri.GetProperty("tstart")));
        intervals.Select(i => i.GetProperty("tstop").GetDouble()).ShouldBe(ComparisonReference.Doubles(ri.GetProperty("tstop")));
        intervals.Select(i => (double)i.GetProperty("death").GetInt32()).ShouldBe(ComparisonReference.Doubles(ri.GetProperty("death")));
        intervals.Select(i => (double)i.GetProperty("mtki").GetInt32()).ShouldBe(ComparisonReference.Doubles(ri.GetProperty("mtki")));
        compared += intervals.Count * 4;
        var excluded = rows.GetProperty("excluded").EnumerateArray().Single();
        excluded.GetProperty("patientId").GetString().ShouldBe("TD-03");
        excluded.GetProperty("reason").GetString().ShouldBe(StudyComparisons.NoTimeAfterAnchor);
        rows.GetProperty("unit").GetString().ShouldBe("days");

        // Mantel–Byar, the Breslow Cox model of mtki alone (its score test is Mantel–Byar) and the Simon–Makuch curves (months).
        var breslow = (await Api.Get("/api/analyses/overall-survival/time-dependent?ties=breslow")).ShouldHave(HttpStatusCode.OK).Json;
        compared += CohortReference.ShouldMatchTest(breslow.GetProperty("mantelByar"), r.GetProperty("mantel_byar"), "Mantel–Byar");
        compared += CohortReference.ShouldMatchCox(breslow.GetProperty("cox"), r.GetProperty("breslow_mtki"), "Cox mtki (Breslow)");
        breslow.GetProperty("cox").GetProperty("ties").GetString().ShouldBe("breslow");
        var curves = breslow.GetProperty("simonMakuch").EnumerateArray().ToList();
        var rc = r.GetProperty("simon_makuch").EnumerateArray().ToList();
        compared += CohortReference.ShouldMatchCurve(curves.Single(c => !c.GetProperty("mtki").GetBoolean()).GetProperty("curve"), rc[0], "Simon–Makuch unexposed");
        compared += CohortReference.ShouldMatchCurve(curves.Single(c => c.GetProperty("mtki").GetBoolean()).GetProperty("curve"), rc[1], "Simon–Makuch mtki");
        breslow.GetProperty("excluded")[0].GetProperty("patientId").GetString().ShouldBe("TD-03");
        breslow.GetProperty("basis").GetProperty("lastSequence").GetInt64().ShouldBeGreaterThan(0);

        // Cox with covariates (Efron, the default): numeric and factors; histology levels most frequent first.
        var adjusted = (await Api.Get("/api/analyses/overall-survival/time-dependent?covariates=ageAtAnchor,sex,metastatic")).ShouldHave(HttpStatusCode.OK).Json;
        compared += CohortReference.ShouldMatchCox(adjusted.GetProperty("cox"), r.GetProperty("adjusted"), "Cox adjusted");
        adjusted.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ShouldContain(w => w!.Contains("fewer than 10 per coefficient", StringComparison.Ordinal));
        var byHistology = (await Api.Get("/api/analyses/overall-survival/time-dependent?covariates=sex,histology")).ShouldHave(HttpStatusCode.OK).Json;
        compared += CohortReference.ShouldMatchCox(byHistology.GetProperty("cox"), r.GetProperty("by_histology"), "Cox by histology");

        // Landmark at 3 months: followed beyond it, grouped by mTKI started by then, time from the landmark.
        var landmark = (await Api.Get("/api/analyses/overall-survival/landmark?at=3,6")).ShouldHave(HttpStatusCode.OK).Json.GetProperty("landmarks")[0];
        var rl = r.GetProperty("landmark3");
        landmark.GetProperty("at").GetDouble().ShouldBe(3);
        landmark.GetProperty("n").GetInt32().ShouldBe(rl.GetProperty("n").GetInt32());
        var groups = landmark.GetProperty("groups").EnumerateArray().ToList();
        var rlc = rl.GetProperty("curves").EnumerateArray().ToList();
        compared += CohortReference.ShouldMatchCurve(groups.Single(g => g.GetProperty("name").GetString() == "mtki").GetProperty("curve"), rlc[0], "landmark mtki");
        compared += CohortReference.ShouldMatchCurve(groups.Single(g => g.GetProperty("name").GetString() == "control").GetProperty("curve"), rlc[1], "landmark control");
        compared += CohortReference.ShouldMatchTest(landmark.GetProperty("logRank"), rl.GetProperty("logrank"), "landmark log-rank");
        compared += CohortReference.ShouldMatchCox(landmark.GetProperty("cox"), rl.GetProperty("cox"), "landmark Cox");
        // At 6 months the one control left never dies: the mtki coefficient runs to infinity (R: "Loglik converged
        // before variable 1"), so no hazard ratio is shown, and the warnings say why.
        var six = (await Api.Get("/api/analyses/overall-survival/landmark?at=3,6")).Json.GetProperty("landmarks")[1];
        six.GetProperty("cox").GetProperty("terms")[0].GetProperty("hazardRatio").ValueKind.ShouldBe(JsonValueKind.Null);
        six.GetProperty("cox").GetProperty("terms")[0].GetProperty("note").GetString()!.ShouldContain("infinite");
        var sixWarnings = six.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        sixWarnings.ShouldContain(w => w.Contains("mtki coefficient may be infinite", StringComparison.Ordinal));
        sixWarnings.ShouldContain("no deaths in the control group after the landmark");

        // The naive comparison gains its Cox model (group fixed at the anchor) and says what it is biased by.
        var naive = (await Api.Get("/api/analyses/overall-survival")).ShouldHave(HttpStatusCode.OK).Json;
        compared += CohortReference.ShouldMatchCox(naive.GetProperty("cox"), r.GetProperty("naive"), "naive Cox");
        naive.GetProperty("bias").GetString()!.ShouldContain("immortal-time bias");
        // RMST to the default tau (240 days in months), mtki − control, and the reverse-KM median follow-up.
        var rmst = (await Api.Get("/api/analyses/overall-survival/rmst")).ShouldHave(HttpStatusCode.OK).Json;
        var rr = r.GetProperty("rmst");
        rmst.GetProperty("tau").GetDouble().ShouldEqualR(rr.GetProperty("tau").GetDouble(), "tau");
        var byName = rmst.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        foreach (var name in new[] { "mtki", "control" })
        {
            byName[name].GetProperty("rmst").GetDouble().ShouldEqualR(rr.GetProperty(name).GetDouble(), $"rmst {name}");
            byName[name].GetProperty("se").GetDouble().ShouldEqualR(rr.GetProperty($"{name}_se").GetDouble(), $"rmst se {name}");
            byName[name].GetProperty("medianFollowUp").GetDouble().ShouldEqualR(rr.GetProperty($"followup_{name}").GetDouble(), $"follow-up {name}");
        }

        rmst.GetProperty("difference").GetProperty("difference").GetDouble().ShouldEqualR(rr.GetProperty("difference").GetDouble(), "rmst difference");
        rmst.GetProperty("difference").GetProperty("stdErr").GetDouble().ShouldEqualR(rr.GetProperty("difference_se").GetDouble(), "rmst difference se");
        rmst.GetProperty("difference").GetProperty("p").GetDouble().ShouldEqualR(rr.GetProperty("p").GetDouble(), "rmst p");
        compared += 10;
        // The naive groups' log-rank stratified by histology and weighted with rho = 1.
        var stratified = (await Api.Get("/api/analyses/overall-survival/log-rank?strata=histology&rho=1")).ShouldHave(HttpStatusCode.OK).Json.GetProperty("logRank");
        var rs = r.GetProperty("stratified_logrank");
        compared += CohortReference.ShouldMatchTest(stratified.GetProperty("test"), rs, "stratified log-rank");
        stratified.GetProperty("strataCount").GetInt32().ShouldBe(2);
        stratified.GetProperty("observed")[0].GetDouble().ShouldEqualR(rs.GetProperty("observed_mtki").GetDouble(), "weighted observed mtki");
        stratified.GetProperty("expected")[0].GetDouble().ShouldEqualR(rs.GetProperty("expected_mtki").GetDouble(), "weighted expected mtki");
        compared += 2;
        output.WriteLine($"{compared} numbers compared with R");
    }

    [Theory]
    [InlineData("/api/analyses/overall-survival/time-dependent?ties=exact", "ties")]
    [InlineData("/api/analyses/overall-survival/time-dependent?covariates=ageAtAnchor,weight", "covariates")]
    [InlineData("/api/analyses/overall-survival/time-dependent?covariates=sex,sex", "covariates")]
    [InlineData("/api/analyses/overall-survival/time-dependent?unit=fortnights", "unit")]
    [InlineData("/api/analyses/overall-survival/time-dependent/intervals?histology=banana", "histology")]
    [InlineData("/api/analyses/overall-survival/time-dependent/intervals?asOf=yesterday", "asOf")]
    [InlineData("/api/analyses/overall-survival/landmark?at=-1", "at")]
    [InlineData("/api/analyses/overall-survival/landmark?at=3,abc", "at")]
    [InlineData("/api/analyses/overall-survival/landmark?at=3,3", "at")]
    [InlineData("/api/analyses/overall-survival/landmark?at=3&ties=none", "ties")]
    [InlineData("/api/analyses/overall-survival/landmark?covariates=bmi", "covariates")]
    [InlineData("/api/analyses/overall-survival/rmst?tau=0", "tau")]
    [InlineData("/api/analyses/overall-survival/log-rank?rho=-1", "rho")]
    [InlineData("/api/analyses/overall-survival/log-rank?strata=age", "strata")]
    [InlineData("/api/analyses/overall-survival/rmst?tau=six", "tau")]
    public async Task Every_parameter_is_validated_and_named(string url, string field) =>
        (await Api.Get(url)).ShouldBeProblem(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task An_empty_cohort_answers_without_tests_and_says_why()
    {
        var answer = (await Api.Get("/api/analyses/overall-survival/time-dependent")).ShouldHave(HttpStatusCode.OK).Json;
        answer.GetProperty("mantelByar").ValueKind.ShouldBe(JsonValueKind.Null);
        answer.GetProperty("cox").ValueKind.ShouldBe(JsonValueKind.Null);
        answer.GetProperty("warnings").GetArrayLength().ShouldBeGreaterThan(0);
        var landmark = (await Api.Get("/api/analyses/overall-survival/landmark")).ShouldHave(HttpStatusCode.OK).Json;
        landmark.GetProperty("landmarks").GetArrayLength().ShouldBe(3); // 3, 6 and 12 months by default
    }
}
