using System.Net;
using System.Text.Json;
using Timeline.Tests.Api;

namespace Timeline.Tests.MissingData;

/// <summary>
/// Typed missing data through HTTP: <c>missing</c> on the fact bodies with optional fields, its refusals (each naming
/// the entry, nothing written), and what the timeline, the history, corrections and the import make of it.
/// </summary>
public sealed class MissingValuesTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string, string, string> Refusals => new()
    {
        // case, route, body, field named
        { "a required field", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":{"field":"date","reason":"unknown"}}""", "missing.field" },
        { "a field that is not in the body", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":{"field":"grade","reason":"unknown"}}""", "missing.field" },
        { "a field with a value", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","metastatic":false,"missing":{"field":"metastatic","reason":"not-done"}}""", "missing.field" },
        { "the same field twice", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":[{"field":"metastatic","reason":"not-done"},{"field":"metastatic","reason":"unknown"}]}""", "missing[1].field" },
        { "an unknown reason", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":{"field":"metastatic","reason":"forgot"}}""", "missing.reason" },
        { "an unknown reason in a list", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":[{"field":"primarySite","reason":"unknown"},{"field":"metastatic","reason":"UNK"}]}""", "missing[1].reason" },
        { "no reason", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":{"field":"metastatic"}}""", "missing.reason" },
        { "not an object", "diagnosis", """{"date":"2019-03-01","histology":"osteosarcoma","missing":"metastatic"}""", "missing" },
        { "a fact with no optional field", "progressions", """{"date":"2019-03-20","missing":{"field":"date","reason":"unknown"}}""", "missing.field" },
        { "the regimen given", "treatment-lines", """{"line":1,"startDate":"2019-03-15","regimen":"MAP","agents":["doxorubicin"],"missing":{"field":"regimen","reason":"unknown"}}""", "missing.field" },
        { "the agents of a line", "treatment-lines", """{"line":1,"startDate":"2019-03-15","agents":["doxorubicin"],"missing":{"field":"agents","reason":"unknown"}}""", "missing.field" },
        { "an adverse event's line given", "adverse-events", """{"date":"2019-03-20","line":1,"term":"Nausea","grade":1,"missing":{"field":"line","reason":"unknown"}}""", "missing.field" },
        { "a death's cause given", "death", """{"date":"2019-03-20","cause":"disease","missing":{"field":"cause","reason":"asked-not-known"}}""", "missing.field" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_wrong_missing_value_is_a_400_naming_the_entry_and_nothing_is_written(string refusal, string route, string body, string field)
    {
        await Api.WithEnrolledPatient("MIS-001");
        if (route != "diagnosis")
            (await Api.Post("/api/patients/MIS-001/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma" })).ShouldHave(HttpStatusCode.OK);
        if (route == "adverse-events")
            (await Api.Post("/api/patients/MIS-001/treatment-lines", new { line = 1, startDate = "2019-03-15", agents = new[] { "doxorubicin" } })).ShouldHave(HttpStatusCode.OK);
        var before = await Api.Get("/api/patients/MIS-001/history");

        var answer = await Api.PostRaw($"/api/patients/MIS-001/{route}", body);

        answer.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        answer.Json.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{refusal}: errors should name {field}: {answer.Body}");
        (await Api.Get("/api/patients/MIS-001/history")).Body.ShouldBe(before.Body, $"{refusal} must write nothing");
    }

    [Fact]
    public async Task Missing_values_are_stored_and_shown_in_the_timeline_and_the_history()
    {
        await Api.WithEnrolledPatient("MIS-001");
        var diagnosis = (await Api.Post("/api/patients/MIS-001/diagnosis", new
        {
            date = "2019-03-01", histology = "osteosarcoma", primarySite = "femur",
            missing = new { field = "metastatic", reason = "not-done" },
        })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("eventId").GetGuid();
        (await Api.Post("/api/patients/MIS-001/treatment-lines", new
        {
            line = 1, startDate = "2019-03-15", agents = new[] { "doxorubicin" },
            missing = new[] { new { field = "regimen", reason = "asked-not-known" } },
        })).ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/MIS-001/adverse-events", new
        {
            date = "2019-04-01", term = "Nausea", grade = 2, missing = new { field = "line", reason = "not-applicable" },
        })).ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/MIS-001/death", new { date = "2019-05-01", missing = new { field = "cause", reason = "unknown" } }))
            .ShouldHave(HttpStatusCode.OK);

        var timeline = (await Api.Get("/api/patients/MIS-001/timeline")).ShouldHave(HttpStatusCode.OK).Json;
        Missing(timeline.GetProperty("diagnosis")).ShouldBe(["metastatic=not-done"]);
        timeline.GetProperty("diagnosis").GetProperty("metastatic").ValueKind.ShouldBe(JsonValueKind.Null);
        Missing(timeline.GetProperty("treatmentLines")[0]).ShouldBe(["regimen=asked-not-known"]);
        Missing(timeline.GetProperty("adverseEvents")[0]).ShouldBe(["line=not-applicable"]);
        Missing(timeline.GetProperty("death")).ShouldBe(["cause=unknown"]);

        var history = (await Api.Get("/api/patients/MIS-001/history")).Json;
        var entry = history.EnumerateArray().Single(e => e.GetProperty("eventId").GetGuid() == diagnosis);
        Missing(entry.GetProperty("data")).ShouldBe(["metastatic=not-done"]);
        // A fact without missing values reads as before: no "missing" member at all.
        history[0].GetProperty("data").TryGetProperty("missing", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_correction_may_fill_a_missing_value_or_say_why_one_is_missing_and_its_refusals_name_the_replacement()
    {
        await Api.WithEnrolledPatient("MIS-001");
        var diagnosis = (await Api.Post("/api/patients/MIS-001/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma" }))
            .Json.GetProperty("eventId").GetGuid();
        var before = await Api.Get("/api/patients/MIS-001/history");

        var refused = await Api.Post("/api/patients/MIS-001/corrections", new
        {
            eventId = diagnosis, reason = "Staging not done",
            replacement = new { date = "2019-03-01", histology = "osteosarcoma", metastatic = true, missing = new { field = "metastatic", reason = "not-done" } },
        });
        refused.ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.missing.field");
        (await Api.Get("/api/patients/MIS-001/history")).Body.ShouldBe(before.Body);

        (await Api.Post("/api/patients/MIS-001/corrections", new
        {
            eventId = diagnosis, reason = "Staging not done",
            replacement = new { date = "2019-03-01", histology = "osteosarcoma", missing = new { field = "metastatic", reason = "not-done" } },
        })).ShouldHave(HttpStatusCode.OK);
        Missing((await Api.Get("/api/patients/MIS-001/timeline")).Json.GetProperty("diagnosis")).ShouldBe(["metastatic=not-done"]);
        var correction = (await Api.Get("/api/patients/MIS-001/history")).Json.EnumerateArray().Last();
        Missing(correction.GetProperty("data").GetProperty("replacement")).ShouldBe(["metastatic=not-done"]);

        (await Api.Post("/api/patients/MIS-001/corrections", new
        {
            eventId = diagnosis, reason = "Staging CT found",
            replacement = new { date = "2019-03-01", histology = "osteosarcoma", metastatic = false },
        })).ShouldHave(HttpStatusCode.OK);
        var diagnosed = (await Api.Get("/api/patients/MIS-001/timeline")).Json.GetProperty("diagnosis");
        diagnosed.TryGetProperty("missing", out _).ShouldBeFalse();
        diagnosed.GetProperty("metastatic").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_import_reads_missing_values_as_the_routes_do()
    {
        var lines = string.Join("\n",
            """{"patientId":"IMP-001","type":"enrolment","body":{"birthDate":"2006-04-12","sex":"male"}}""",
            """{"patientId":"IMP-001","type":"diagnosis","body":{"date":"2019-03-01","histology":"osteosarcoma","missing":[{"field":"metastatic","reason":"not-done"},{"field":"primarySite","reason":"unknown"}]}}""",
            """{"patientId":"IMP-002","type":"enrolment","body":{"birthDate":"2006-04-12","sex":"male"}}""",
            """{"patientId":"IMP-002","type":"diagnosis","body":{"date":"2019-03-01","histology":"osteosarcoma","metastatic":true,"missing":{"field":"metastatic","reason":"not-done"}}}""");
        var answer = (await Api.PostRaw("/api/import", lines + "\n")).ShouldHave(HttpStatusCode.OK).Json;

        answer.GetProperty("patientsImported").GetInt32().ShouldBe(1, answer.ToString());
        Missing((await Api.Get("/api/patients/IMP-001/timeline")).Json.GetProperty("diagnosis"))
            .ShouldBe(["metastatic=not-done", "primarySite=unknown"]);
        var refused = answer.GetProperty("refused").EnumerateArray().Single();
        refused.GetProperty("patientId").GetString().ShouldBe("IMP-002");
        refused.GetProperty("reason").GetString()!.ShouldContain("metastatic has a value");
        (await Api.Get("/api/patients/IMP-002/timeline")).Status.ShouldBe(HttpStatusCode.NotFound, "the refused patient is not imported");
        // The import writes the read model by COPY: the analyses count what it imported.
        (await Api.Get("/api/analyses/cohort")).Json.GetProperty("missingValues").EnumerateArray()
            .Select(m => $"{m.GetProperty("fact").GetString()}.{m.GetProperty("field").GetString()}={m.GetProperty("reason").GetString()}:{m.GetProperty("patients").GetInt32()}")
            .ShouldBe(["diagnosis.metastatic=not-done:1", "diagnosis.primarySite=unknown:1"]);
    }

    static string[] Missing(JsonElement entry) =>
        entry.GetProperty("missing").EnumerateArray()
            .Select(m => $"{m.GetProperty("field").GetString()}={m.GetProperty("reason").GetString()}").ToArray();
}
