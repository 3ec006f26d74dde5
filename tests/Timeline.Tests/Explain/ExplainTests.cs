using System.Net;
using System.Text.Json;
using Timeline.Tests.Api;
using Timeline.Tests.ReadModels;

namespace Timeline.Tests.Explain;

/// <summary>
/// The explain lists add up to the figures they explain, for every analysis: each curve step's events and
/// censorings, each number at risk, each response count, each cohort tally; over random SYNTHETIC courses with
/// corrections, now and as of a past time, in two units.
/// </summary>
public sealed class ExplainTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<JsonElement> Get(string url) => (await Api.Get(url)).ShouldHave(HttpStatusCode.OK).Json;

    async Task Cohort()
    {
        await new RandomCourses(Api, 21).RecordAsync(patients: 14, corrections: 6);
        await Api.RecordFullCourse("FULL-1");
    }

    static void CurveAddsUp(JsonElement summary, Func<string, Task<JsonElement>> explain, string part)
    {
        var listedN = 0;
        foreach (var step in summary.GetProperty("curve").EnumerateArray())
        {
            var t = step.GetProperty("time").GetRawText();
            var at = explain($"{part}&time={t}").GetAwaiter().GetResult();
            at.GetProperty("events").GetInt32().ShouldBe(step.GetProperty("events").GetInt32(), $"events at {t}");
            at.GetProperty("censored").GetInt32().ShouldBe(step.GetProperty("censored").GetInt32(), $"censored at {t}");
            at.GetProperty("patients").EnumerateArray().ShouldAllBe(p => p.GetProperty("time").GetRawText() == t);
            explain($"{part}&atRisk={t}").GetAwaiter().GetResult().GetProperty("count").GetInt32()
                .ShouldBe(step.GetProperty("atRisk").GetInt32(), $"at risk at {t}");
            listedN += at.GetProperty("count").GetInt32();
        }
        var all = explain(part).GetAwaiter().GetResult();
        all.GetProperty("count").GetInt32().ShouldBe(summary.GetProperty("n").GetInt32());
        all.GetProperty("events").GetInt32().ShouldBe(summary.GetProperty("events").GetInt32());
        listedN.ShouldBe(summary.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("unit=months")]
    [InlineData("unit=days")]
    public async Task Overall_survival_lists_add_up_to_every_step_and_number_at_risk(string unit)
    {
        await Cohort();
        var os = await Get($"/api/analyses/overall-survival?{unit}");
        foreach (var group in os.GetProperty("groups").EnumerateArray())
            CurveAddsUp(group, part => Get($"/api/analyses/overall-survival/patients?{unit}&{part}"), $"group={group.GetProperty("name").GetString()}");
        var excluded = await Get($"/api/analyses/overall-survival/patients?{unit}&group=excluded");
        excluded.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("patientId").GetString())
            .ShouldBe(os.GetProperty("excluded").EnumerateArray().Select(p => p.GetProperty("patientId").GetString()));
    }

    [Fact]
    public async Task Time_to_progression_and_pfs_lists_add_up()
    {
        await Cohort();
        var ttp = await Get("/api/analyses/time-to-progression");
        CurveAddsUp(ttp.GetProperty("ttp"), part => Get($"/api/analyses/time-to-progression/patients?{part}"), "measure=ttp");
        CurveAddsUp(ttp.GetProperty("pfs"), part => Get($"/api/analyses/time-to-progression/patients?{part}"), "measure=pfs");
    }

    [Fact]
    public async Task Response_and_cohort_lists_add_up_and_name_their_source_events()
    {
        await Cohort();
        var response = await Get("/api/analyses/response");
        foreach (var category in new[] { "CR", "PR", "SD", "PD", "NE" })
            (await Get($"/api/analyses/response/patients?category={category}")).GetProperty("count").GetInt32()
                .ShouldBe(response.GetProperty("counts").GetProperty(category).GetInt32(), category);
        foreach (var drug in response.GetProperty("byDrug").EnumerateArray())
            (await Get($"/api/analyses/response/patients?category=responders&drug={drug.GetProperty("name").GetString()}")).GetProperty("count").GetInt32()
                .ShouldBe(drug.GetProperty("responders").GetInt32());

        var cohort = await Get("/api/analyses/cohort");
        (await Get("/api/analyses/cohort/patients")).GetProperty("count").GetInt32().ShouldBe(cohort.GetProperty("patients").GetInt32());
        (await Get("/api/analyses/cohort/patients?mtki=true")).GetProperty("count").GetInt32().ShouldBe(cohort.GetProperty("mtkiPatients").GetInt32());
        foreach (var h in cohort.GetProperty("byHistology").EnumerateArray().Where(h => h.GetProperty("histology").ValueKind == JsonValueKind.String))
            (await Get($"/api/analyses/cohort/patients?histology={Uri.EscapeDataString(h.GetProperty("histology").GetString()!)}")).GetProperty("count").GetInt32()
                .ShouldBe(h.GetProperty("patients").GetInt32());

        // FULL-1's PR came from its second assessment, its OS from its progression to its death.
        var pr = await Get("/api/analyses/response/patients?category=PR");
        var full = pr.GetProperty("patients").EnumerateArray().Single(p => p.GetProperty("patientId").GetString() == "FULL-1");
        var history = (await Get("/api/patients/FULL-1/history")).EnumerateArray().ToList();
        Guid IdOf(string type, int nth = 0) => history.Where(e => e.GetProperty("type").GetString() == type).ElementAt(nth).GetProperty("eventId").GetGuid();
        full.GetProperty("sources").GetProperty("bestResponse").GetGuid().ShouldBe(IdOf("response-assessed", 1));
        full.GetProperty("timelineUrl").GetString()!.ShouldContain(IdOf("response-assessed", 1).ToString());
        full.GetProperty("historyUrl").GetString().ShouldBe("/api/patients/FULL-1/history"); // the admin may read it
    }

    [Fact]
    public async Task An_analyst_gets_values_and_event_ids_but_no_history_links_and_as_of_lists_the_state_then()
    {
        await Api.RecordFullCourse("FULL-1");
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Api.WithEnrolledPatient("LATER-1");

        var analyst = Api.As(Host.Services.GetService(typeof(TestUsers)) is TestUsers u ? u.Analyst : null);
        var now = (await analyst.Get("/api/analyses/cohort/patients")).ShouldHave(HttpStatusCode.OK).Json;
        now.GetProperty("count").GetInt32().ShouldBe(2);
        now.GetProperty("patients").EnumerateArray().ShouldAllBe(p => p.GetProperty("historyUrl").ValueKind == JsonValueKind.Null);
        var then = (await analyst.Get($"/api/analyses/cohort/patients?asOf={Uri.EscapeDataString(before.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}"))
            .ShouldHave(HttpStatusCode.OK).Json;
        then.GetProperty("count").GetInt32().ShouldBe(1);
        (await Api.As(Host.Services.GetService(typeof(TestUsers)) is TestUsers r ? r.Recorder : null).Get("/api/analyses/cohort/patients"))
            .ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_long_list_pages_with_totals_of_the_whole_part()
    {
        await Cohort();
        var whole = await Get("/api/analyses/cohort/patients");
        var ids = new List<string>();
        for (var url = "/api/analyses/cohort/patients?limit=4"; url is not null;)
        {
            var page = await Get(url);
            page.GetProperty("count").GetInt32().ShouldBe(whole.GetProperty("count").GetInt32());
            page.GetProperty("patients").GetArrayLength().ShouldBeLessThanOrEqualTo(4);
            ids.AddRange(page.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("patientId").GetString()!));
            url = page.GetProperty("next").GetString();
        }
        ids.ShouldBe(whole.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("patientId").GetString()!));
        (await Api.Get("/api/analyses/cohort/patients?limit=0")).ShouldBeProblem(HttpStatusCode.BadRequest, "limit");
    }
}
