using System.Net;

namespace Timeline.Tests.Api;

/// <summary>Each clinical rule refused through HTTP: a problem naming the field, and the stream unchanged.</summary>
public sealed class RuleRefusalTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string, string, string> Refusals => new()
    {
        // rule, route, body, field named
        { "future date", "progressions", """{"date":"2999-01-01"}""", "date" },
        { "before birth", "follow-ups", """{"date":"2001-01-01"}""", "date" },
        { "before diagnosis", "relapses", """{"date":"2019-01-01"}""", "date" },
        { "diagnosis twice", "diagnosis", """{"date":"2019-04-01","histology":"osteosarcoma"}""", "date" },
        { "line 3 before line 2", "treatment-lines", """{"line":3,"startDate":"2020-01-01","agents":["sorafenib"]}""", "line" },
        { "line 2 before line 1 started", "treatment-lines", """{"line":2,"startDate":"2019-03-10","agents":["ifosfamide"]}""", "startDate" },
        { "line started twice", "treatment-lines", """{"line":1,"startDate":"2019-05-01","agents":["x"]}""", "line" },
        { "end before start", "treatment-lines/1/end", """{"date":"2019-03-10","reason":"completed"}""", "date" },
        { "end of a line never started", "treatment-lines/4/end", """{"date":"2019-06-20","reason":"completed"}""", "line" },
        { "response on a missing line", "responses", """{"date":"2019-06-01","line":5,"category":"PR"}""", "line" },
        { "adverse event on a missing line", "adverse-events", """{"date":"2019-06-01","line":5,"term":"Nausea","grade":1}""", "line" },
        { "adverse event grade 6", "adverse-events", """{"date":"2019-06-01","term":"Nausea","grade":6}""", "grade" },
        { "unknown RECIST category", "responses", """{"date":"2019-06-01","line":1,"category":"XR"}""", "category" },
        { "impossible date", "progressions", """{"date":"2019-02-30"}""", "date" },
        { "missing date", "follow-ups", """{}""", "date" },
        { "unknown histology", "diagnosis", """{"date":"2019-04-01","histology":"banana"}""", "histology" },
        { "no agents", "treatment-lines", """{"line":2,"startDate":"2019-09-01","agents":[]}""", "agents" },
        { "unknown end reason", "treatment-lines/1/end", """{"date":"2019-09-01","reason":"bored"}""", "reason" },
        { "line in body differs from route", "treatment-lines/1/end", """{"date":"2019-09-01","reason":"completed","line":2}""", "line" },
        { "malformed JSON", "progressions", """{"date":""", "body" },
        { "JSON null", "progressions", "null", "body" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_broken_rule_is_a_400_naming_the_field_and_nothing_is_written(string rule, string route, string body, string field)
    {
        await Api.WithDiagnosedPatient("OSC-001");   // diagnosed 2019-03-01, born 2006-04-12
        (await Api.Post("/api/patients/OSC-001/treatment-lines", new { line = 1, startDate = "2019-03-15", agents = new[] { "doxorubicin" } }))
            .ShouldHave(HttpStatusCode.OK);
        var before = await Api.Get("/api/patients/OSC-001/history");

        var answer = await Api.PostRaw($"/api/patients/OSC-001/{route}", body);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest, $"{rule}: {answer.Body}");
        if (field == "body") answer.ContentType.ShouldBe("application/problem+json");
        else answer.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        (await Api.Get("/api/patients/OSC-001/history")).Body.ShouldBe(before.Body, $"{rule} must write nothing");
    }

    [Fact]
    public async Task Nothing_is_recorded_after_a_death_and_a_death_cannot_precede_a_recorded_fact()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        (await Api.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-06-01" })).ShouldHave(HttpStatusCode.OK);

        (await Api.Post("/api/patients/OSC-001/death", new { date = "2020-05-01" })).ShouldBeProblem(HttpStatusCode.BadRequest, "date");
        (await Api.Post("/api/patients/OSC-001/death", new { date = "2020-07-01", cause = "disease" })).ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-08-01" })).ShouldBeProblem(HttpStatusCode.BadRequest, "date");
        (await Api.Post("/api/patients/OSC-001/death", new { date = "2020-07-01" })).ShouldBeProblem(HttpStatusCode.BadRequest, "date");

        (await Api.VersionOf("OSC-001")).ShouldBe(4);
    }

    [Fact]
    public async Task Clinical_facts_need_a_diagnosis_first()
    {
        await Api.WithEnrolledPatient("OSC-001");
        var answer = await Api.Post("/api/patients/OSC-001/progressions", new { date = "2020-01-01" });
        answer.ShouldBeProblem(HttpStatusCode.BadRequest, "date");
        answer.Json.GetProperty("rule").GetString().ShouldBe("diagnosis-first");
        (await Api.VersionOf("OSC-001")).ShouldBe(1);
    }
}
