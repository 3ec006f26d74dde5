using System.Net;
using System.Text.Json;
using Timeline.Tests.Api;

namespace Timeline.Tests.MissingData;

/// <summary>
/// The soft checks through HTTP: refused without an override (400 naming the field and the rule, overridable, nothing
/// written), recorded with one (the event keeps the rules and the reason), and a hard rule never overridable.
/// </summary>
public sealed class SoftCheckTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>Diagnosed 2019-03-01; line 1 started 2019-03-15.</summary>
    async Task<Guid> WithLineOne()
    {
        await Api.WithDiagnosedPatient("SOFT-001");
        return (await Api.Post("/api/patients/SOFT-001/treatment-lines", new { line = 1, startDate = "2019-03-15", agents = new[] { "sorafenib" } }))
            .ShouldHave(HttpStatusCode.OK).Json.GetProperty("eventId").GetGuid();
    }

    static void ShouldBeSoftCheck(Answer answer, string field, string rule)
    {
        answer.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        var problem = answer.Json;
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(answer.Body);
        problem.GetProperty("rule").GetString().ShouldBe(rule);
        problem.GetProperty("overridable").GetBoolean().ShouldBeTrue();
        var check = problem.GetProperty("softChecks").EnumerateArray().Single();
        check.GetProperty("rule").GetString().ShouldBe(rule);
        check.GetProperty("field").GetString().ShouldBe(field);
        check.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString()!.ShouldContain("override");
    }

    [Fact]
    public async Task A_late_response_is_refused_then_recorded_with_the_override_and_its_reason()
    {
        await WithLineOne();
        var before = await Api.Get("/api/patients/SOFT-001/history");
        var late = new { date = "2022-03-16", line = 1, category = "SD" }; // three years and a day after the start

        ShouldBeSoftCheck(await Api.Post("/api/patients/SOFT-001/responses", late), "date", "response-late");
        (await Api.Get("/api/patients/SOFT-001/history")).Body.ShouldBe(before.Body, "a refused soft check writes nothing");

        // Exactly three years is not late.
        (await Api.Post("/api/patients/SOFT-001/responses", new { date = "2022-03-15", line = 1, category = "SD" })).ShouldHave(HttpStatusCode.OK);

        var recorded = (await Api.Post("/api/patients/SOFT-001/responses", new
        {
            late.date, late.line, late.category,
            @override = new { rules = new[] { "response-late" }, reason = "Long-term responder, still on sorafenib" },
        })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("eventId").GetGuid();

        var entry = (await Api.Get("/api/patients/SOFT-001/history")).Json.EnumerateArray().Single(e => e.GetProperty("eventId").GetGuid() == recorded);
        var stored = entry.GetProperty("data").GetProperty("override");
        stored.GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ShouldBe(["response-late"]);
        stored.GetProperty("reason").GetString().ShouldBe("Long-term responder, still on sorafenib");
        var response = (await Api.Get("/api/patients/SOFT-001/timeline")).Json.GetProperty("treatmentLines")[0].GetProperty("responses")
            .EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == recorded);
        response.GetProperty("override").GetProperty("reason").GetString().ShouldBe("Long-term responder, still on sorafenib");
    }

    [Fact]
    public async Task A_grade_5_adverse_event_needs_a_death_or_an_override()
    {
        await WithLineOne();
        var fatal = new { date = "2019-05-01", line = 1, term = "Sepsis", grade = 5 };

        ShouldBeSoftCheck(await Api.Post("/api/patients/SOFT-001/adverse-events", fatal), "grade", "grade-5-without-death");
        (await Api.VersionOf("SOFT-001")).ShouldBe(3);

        (await Api.Post("/api/patients/SOFT-001/adverse-events", new
        {
            fatal.date, fatal.line, fatal.term, fatal.grade,
            @override = new { rules = new[] { "grade-5-without-death" }, reason = "Death to be recorded by the ward" },
        })).ShouldHave(HttpStatusCode.OK);
        (await Api.VersionOf("SOFT-001")).ShouldBe(4);

        // Once the death is recorded, a grade 5 needs no override.
        (await Api.Post("/api/patients/SOFT-001/death", new { date = "2019-05-02", cause = "treatment" })).ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/SOFT-001/adverse-events", new { date = "2019-05-01", line = 1, term = "Multi-organ failure", grade = 5 }))
            .ShouldHave(HttpStatusCode.OK);
    }

    public static TheoryData<string, string, string> OverrideRefusals => new()
    {
        // case, override JSON, field named
        { "no reason", """{"rules":["response-late"]}""", "override.reason" },
        { "a blank reason", """{"rules":["response-late"],"reason":"   "}""", "override.reason" },
        { "a reason with a direction override", "{\"rules\":[\"response-late\"],\"reason\":\"ok \\u202E\"}", "override.reason" },
        { "no rules", """{"rules":[],"reason":"Long-term responder"}""", "override.rules" },
        { "an unknown rule", """{"rules":["response-late","looks-fine"],"reason":"Long-term responder"}""", "override.rules[1]" },
        { "a hard rule", """{"rules":["line-exists"],"reason":"Line 2 is on paper"}""", "override.rules[0]" },
    };

    [Theory]
    [MemberData(nameof(OverrideRefusals))]
    public async Task A_wrong_override_is_a_400_naming_it_and_nothing_is_written(string refusal, string @override, string field)
    {
        await WithLineOne();
        var before = await Api.Get("/api/patients/SOFT-001/history");

        var answer = await Api.PostRaw("/api/patients/SOFT-001/responses", $$"""{"date":"2022-06-01","line":1,"category":"PR","override":{{@override}}}""");

        answer.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        answer.Json.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{refusal}: {answer.Body}");
        (await Api.Get("/api/patients/SOFT-001/history")).Body.ShouldBe(before.Body, $"{refusal} must write nothing");
    }

    [Fact]
    public async Task A_hard_rule_is_refused_even_with_an_override_of_the_soft_checks()
    {
        await WithLineOne();
        // Line 2 does not exist: the hard rule answers, whatever the override says.
        var answer = await Api.Post("/api/patients/SOFT-001/responses", new
        {
            date = "2022-06-01", line = 2, category = "PR",
            @override = new { rules = new[] { "response-late" }, reason = "Long-term responder" },
        });
        answer.ShouldBeProblem(HttpStatusCode.BadRequest, "line");
        answer.Json.GetProperty("rule").GetString().ShouldBe("line-exists");
        answer.Json.TryGetProperty("overridable", out _).ShouldBeFalse();
        (await Api.VersionOf("SOFT-001")).ShouldBe(3);
    }

    [Fact]
    public async Task A_correction_runs_the_soft_checks_on_its_replacement_with_the_replacements_override()
    {
        await WithLineOne();
        var response = (await Api.Post("/api/patients/SOFT-001/responses", new { date = "2019-06-01", line = 1, category = "PR" }))
            .Json.GetProperty("eventId").GetGuid();
        var before = await Api.Get("/api/patients/SOFT-001/history");

        var refused = await Api.Post("/api/patients/SOFT-001/corrections", new
        {
            eventId = response, reason = "Wrong year typed", replacement = new { date = "2023-06-01", line = 1, category = "PR" },
        });
        ShouldBeSoftCheck(refused, "replacement.date", "response-late");
        (await Api.Get("/api/patients/SOFT-001/history")).Body.ShouldBe(before.Body);

        (await Api.Post("/api/patients/SOFT-001/corrections", new
        {
            eventId = response, reason = "Wrong year typed",
            replacement = new { date = "2023-06-01", line = 1, category = "PR", @override = new { rules = new[] { "response-late" }, reason = "Assessed at late follow-up" } },
        })).ShouldHave(HttpStatusCode.OK);
        var correction = (await Api.Get("/api/patients/SOFT-001/history")).Json.EnumerateArray().Last();
        correction.GetProperty("data").GetProperty("replacement").GetProperty("override").GetProperty("reason").GetString().ShouldBe("Assessed at late follow-up");
    }
}
