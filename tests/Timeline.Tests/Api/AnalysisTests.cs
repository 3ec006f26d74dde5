using System.Net;
using System.Text.Json;
using Timeline.Projections.Analysis;

namespace Timeline.Tests.Api;

/// <summary>
/// A small synthetic cohort recorded through the API; every expected figure is recomputed here from
/// intervals worked out by hand from the dates below (the statistics themselves are checked against R elsewhere).
/// </summary>
public sealed class AnalysisTests(ApiFixture fixture) : ApiTest(fixture)
{
    const double Month = 30.4375;

    async Task<Dictionary<string, Guid>> RecordCohort()
    {
        var ids = new Dictionary<string, Guid>();
        async Task<Guid> Post(string id, string route, object body)
        {
            var answer = (await Api.Post($"/api/patients/{id}/{route}", body)).ShouldHave(HttpStatusCode.OK);
            return answer.Json.GetProperty("eventId").GetGuid();
        }
        async Task TwoLines(string id, string birth)
        {
            await Api.WithEnrolledPatient(id, birth);
            await Post(id, "diagnosis", new { date = "2018-10-01", histology = "osteosarcoma" });
            await Post(id, "treatment-lines", new { line = 1, startDate = "2019-01-01", agents = new[] { "methotrexate", "doxorubicin", "cisplatin" } });
            await Post(id, "treatment-lines", new { line = 2, startDate = "2019-06-01", agents = new[] { "ifosfamide", "etoposide" } });
        }
        // MTKI-1: anchor 2019-09-01, sorafenib from 2019-09-10, PR on day 52, progression 2020-01-10, death 2020-03-01.
        await TwoLines("MTKI-1", "2004-05-01");
        await Post("MTKI-1", "progressions", new { date = "2019-09-01" });
        await Post("MTKI-1", "treatment-lines", new { line = 3, startDate = "2019-09-10", agents = new[] { "sorafenib" } });
        await Post("MTKI-1", "responses", new { date = "2019-11-01", line = 3, category = "PR" });
        await Post("MTKI-1", "progressions", new { date = "2020-01-10" });
        await Post("MTKI-1", "death", new { date = "2020-03-01", cause = "disease" });
        // MTKI-2: anchor relapse 2019-08-01, regorafenib from 2019-08-15, SD on day 17 (so NE), alive 2020-08-01.
        await TwoLines("MTKI-2", "2002-01-15");
        await Post("MTKI-2", "relapses", new { date = "2019-08-01" });
        await Post("MTKI-2", "treatment-lines", new { line = 3, startDate = "2019-08-15", agents = new[] { "regorafenib" } });
        ids["mtki2-response"] = await Post("MTKI-2", "responses", new { date = "2019-09-01", line = 3, category = "SD" });
        await Post("MTKI-2", "follow-ups", new { date = "2020-08-01" });
        // CTRL-1: anchor 2019-07-01, death 2019-10-01. CTRL-2: anchor 2019-07-01, death 2019-12-30.
        await TwoLines("CTRL-1", "2005-03-03");
        await Post("CTRL-1", "progressions", new { date = "2019-07-01" });
        ids["ctrl1-death"] = await Post("CTRL-1", "death", new { date = "2019-10-01", cause = "disease" });
        await TwoLines("CTRL-2", "2003-07-07");
        await Post("CTRL-2", "progressions", new { date = "2019-07-01" });
        await Post("CTRL-2", "death", new { date = "2019-12-30", cause = "disease" });
        // NOLINE2: excluded, no second line.
        await Api.WithEnrolledPatient("NOLINE2", "2006-01-01");
        await Post("NOLINE2", "diagnosis", new { date = "2018-10-01", histology = "osteosarcoma" });
        return ids;
    }

    static LogRankResult Expected(double[] mtki, bool[] mtkiEvent, double[] control, bool[] controlEvent) =>
        LogRank.Test([
            mtki.Select((d, i) => new SurvivalObservation(d / Month, mtkiEvent[i])).ToList(),
            control.Select((d, i) => new SurvivalObservation(d / Month, controlEvent[i])).ToList(),
        ]);

    [Fact]
    public async Task Figures_follow_corrections_after_regeneration_and_asOf_and_runs_keep_the_old_ones()
    {
        var ids = await RecordCohort();
        var beforeCorrections = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        // OS after the anchor, by hand: mTKI 182 (death), 366 (censored); control 92, 182 (deaths).
        var os = (await Api.Get("/api/analyses/overall-survival?histology=osteosarcoma")).ShouldHave(HttpStatusCode.OK).Json;
        var expected = Expected([182, 366], [true, false], [92, 182], [true, true]);
        os.GetProperty("logRank").GetProperty("chiSquare").GetDouble().ShouldBe(expected.ChiSquare, 1e-9);
        os.GetProperty("logRank").GetProperty("p").GetDouble().ShouldBe(expected.P, 1e-9);
        os.GetProperty("logRank").GetProperty("df").GetInt32().ShouldBe(1);
        var control = os.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "control");
        control.GetProperty("n").GetInt32().ShouldBe(2);
        control.GetProperty("median").GetDouble().ShouldBe((92 + 182) / 2.0 / Month, 1e-9); // S is 0.5 between the two deaths
        os.GetProperty("excluded")[0].GetProperty("patientId").GetString().ShouldBe("NOLINE2");
        os.GetProperty("basis").GetProperty("lastSequence").GetInt64().ShouldBeGreaterThan(0);
        (await Api.Get("/api/analyses/overall-survival?unit=days")).Json.GetProperty("groups")[1].GetProperty("curve")[0]
            .GetProperty("time").GetDouble().ShouldBe(92);

        var response = (await Api.Get("/api/analyses/response")).Json;
        response.GetProperty("n").GetInt32().ShouldBe(2);
        response.GetProperty("counts").GetProperty("PR").GetInt32().ShouldBe(1);
        response.GetProperty("counts").GetProperty("NE").GetInt32().ShouldBe(1);
        response.GetProperty("orr").GetDouble().ShouldBe(0.5);
        response.GetProperty("orrLower").GetDouble().ShouldBe(ClopperPearson.Interval(1, 2).Lower, 1e-12);

        var cohort = (await Api.Get("/api/analyses/cohort")).Json;
        cohort.GetProperty("patients").GetInt32().ShouldBe(5);
        cohort.GetProperty("mtkiPatients").GetInt32().ShouldBe(2);
        cohort.GetProperty("medianAgeAtMtkiStart").GetDouble().ShouldBe(16); // completed years: 15 (MTKI-1) and 17 (MTKI-2)
        cohort.GetProperty("minAge").GetDouble().ShouldBe(15);

        // TTP by hand: MTKI-1 2019-09-10 → 2020-01-10 = 122 days (event); MTKI-2 censored at 2020-08-01 = 352 days.
        var ttp = (await Api.Get("/api/analyses/time-to-progression?unit=days")).Json.GetProperty("ttp");
        ttp.GetProperty("events").GetInt32().ShouldBe(1);
        ttp.GetProperty("curve")[0].GetProperty("time").GetDouble().ShouldBe(122);
        ttp.GetProperty("curve")[1].GetProperty("time").GetDouble().ShouldBe(352);

        var first = (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("runId").GetGuid();

        // Corrections: CTRL-1 died on 2020-02-01 (OS 215 days, now after MTKI-1's death); MTKI-2's response was a PR.
        (await Api.Post("/api/patients/CTRL-1/corrections", new { eventId = ids["ctrl1-death"], reason = "Death certificate date", replacement = new { date = "2020-02-01", cause = "disease" } }))
            .ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/MTKI-2/corrections", new { eventId = ids["mtki2-response"], reason = "Radiology re-read", replacement = new { date = "2019-09-01", line = 3, category = "PR" } }))
            .ShouldHave(HttpStatusCode.OK);
        var second = (await Api.Post("/api/analyses/regenerate", new { })).Json.GetProperty("runId").GetGuid();

        var corrected = Expected([182, 366], [true, false], [215, 182], [true, true]);
        Math.Abs(corrected.ChiSquare - expected.ChiSquare).ShouldBeGreaterThan(1e-6);
        var now = (await Api.Get("/api/analyses/overall-survival?histology=9180/3")).Json;
        now.GetProperty("logRank").GetProperty("chiSquare").GetDouble().ShouldBe(corrected.ChiSquare, 1e-9);
        (await Api.Get("/api/analyses/response")).Json.GetProperty("counts").GetProperty("PR").GetInt32().ShouldBe(2);

        // As of before the corrections: the published figures, exactly.
        var asOf = Uri.EscapeDataString(beforeCorrections.ToString("O"));
        var then = (await Api.Get($"/api/analyses/overall-survival?histology=osteosarcoma&asOf={asOf}")).Json;
        then.GetProperty("logRank").GetProperty("chiSquare").GetDouble().ShouldBe(expected.ChiSquare, 1e-9);
        then.GetProperty("basis").GetProperty("lastSequence").GetInt64().ShouldBe(os.GetProperty("basis").GetProperty("lastSequence").GetInt64());
        (await Api.Get($"/api/analyses/response?asOf={asOf}")).Json.GetProperty("counts").GetProperty("PR").GetInt32().ShouldBe(1);

        // The runs: both kept; the diff names the changed figures and the corrections that caused them.
        var runs = (await Api.Get("/api/analyses/runs")).Json;
        runs.GetArrayLength().ShouldBe(2);
        var stored = (await Api.Get($"/api/analyses/runs/{first}")).ShouldHave(HttpStatusCode.OK).Json;
        stored.GetProperty("figures").GetProperty("overallSurvivalByHistology").GetProperty("9180/3").GetProperty("logRank")
            .GetProperty("chiSquare").GetDouble().ShouldBe(expected.ChiSquare, 1e-9);
        var diff = (await Api.Get($"/api/analyses/runs/{first}/diff/{second}")).ShouldHave(HttpStatusCode.OK).Json;
        var changed = diff.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("figure").GetString()).ToList();
        changed.ShouldContain("overallSurvivalByHistology.9180/3.logRank.chiSquare");
        changed.ShouldContain("response.counts.PR");
        changed.ShouldNotContain("cohort.patients");
        var reasons = diff.GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("reason").GetString()).ToList();
        reasons.ShouldBe(["Death certificate date", "Radiology re-read"]);
        diff.GetProperty("causes")[0].GetProperty("correctedEventId").GetGuid().ShouldBe(ids["ctrl1-death"]);
        diff.GetProperty("causes")[0].GetProperty("patientId").GetString().ShouldBe("CTRL-1");

        (await Api.Get($"/api/analyses/runs/{Guid.NewGuid()}")).ShouldHave(HttpStatusCode.NotFound);
        (await Api.Get("/api/analyses/cohort?unit=fortnights")).ShouldBeProblem(HttpStatusCode.BadRequest, "unit");
        (await Api.Get("/api/analyses/cohort?histology=banana")).ShouldBeProblem(HttpStatusCode.BadRequest, "histology");
    }
}
