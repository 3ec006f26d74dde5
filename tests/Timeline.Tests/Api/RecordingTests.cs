using System.Net;

namespace Timeline.Tests.Api;

public sealed class RecordingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Enrolment_answers_201_with_location_etag_and_event_id()
    {
        var answer = await Api.Post("/api/patients", new { patientId = "OSC-001", birthDate = "2006-04-12", sex = "female" });

        answer.ShouldHave(HttpStatusCode.Created);
        answer.Location.ShouldBe("/api/patients/OSC-001");
        answer.ETag.ShouldBe("\"1\"");
        answer.Json.GetProperty("patientId").GetString().ShouldBe("OSC-001");
        answer.Json.GetProperty("version").GetInt64().ShouldBe(1);
        answer.Json.GetProperty("eventId").GetGuid().ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public async Task A_duplicate_patient_id_is_409_and_the_first_enrolment_stands()
    {
        await Api.WithEnrolledPatient("OSC-001", "2006-04-12");

        var again = await Api.Post("/api/patients", new { patientId = "OSC-001", birthDate = "2001-01-01", sex = "male" });

        again.ShouldBeProblem(HttpStatusCode.Conflict, "patientId");
        var timeline = await Api.Get("/api/patients/OSC-001/timeline");
        timeline.Json.GetProperty("demographics").GetProperty("birthDate").GetString().ShouldBe("2006-04-12");
        (await Api.VersionOf("OSC-001")).ShouldBe(1);
    }

    [Theory]
    [InlineData("", "patientId")]
    [InlineData("-starts-with-dash", "patientId")]
    [InlineData("has space", "patientId")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123X", "patientId")]
    public async Task A_malformed_patient_id_is_refused(string patientId, string field)
    {
        var answer = await Api.Post("/api/patients", new { patientId, birthDate = "2006-04-12", sex = "female" });
        answer.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Enrolment_needs_a_birth_date_in_the_past_and_a_known_sex()
    {
        (await Api.Post("/api/patients", new { patientId = "A1", sex = "female" })).ShouldBeProblem(HttpStatusCode.BadRequest, "birthDate");
        (await Api.Post("/api/patients", new { patientId = "A1", birthDate = "2999-01-01", sex = "female" })).ShouldBeProblem(HttpStatusCode.BadRequest, "birthDate");
        (await Api.Post("/api/patients", new { patientId = "A1", birthDate = "2006-02-30", sex = "female" })).ShouldBeProblem(HttpStatusCode.BadRequest, "birthDate");
        (await Api.Post("/api/patients", new { patientId = "A1", birthDate = "2006-01-01", sex = "robot" })).ShouldBeProblem(HttpStatusCode.BadRequest, "sex");
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Every_recording_route_accepts_a_full_course_and_the_timeline_shows_it()
    {
        var ids = await Api.RecordFullCourse("OSC-001");

        var answer = await Api.Get("/api/patients/OSC-001/timeline");
        answer.ShouldHave(HttpStatusCode.OK);
        answer.ETag.ShouldBe("\"14\"");
        var t = answer.Json;
        t.GetProperty("version").GetInt64().ShouldBe(14);
        t.GetProperty("diagnosis").GetProperty("histology").GetString().ShouldBe("9180/3");
        t.GetProperty("diagnosis").GetProperty("histologyName").GetString().ShouldBe("osteosarcoma");
        var lines = t.GetProperty("treatmentLines");
        lines.GetArrayLength().ShouldBe(3);
        lines[0].GetProperty("endDate").GetString().ShouldBe("2019-10-01");
        lines[1].GetProperty("endReason").GetString().ShouldBe("progression");
        lines[2].GetProperty("isMtki").GetBoolean().ShouldBeTrue();
        lines[0].GetProperty("isMtki").GetBoolean().ShouldBeFalse();
        lines[2].GetProperty("responses").GetArrayLength().ShouldBe(2);
        lines[2].GetProperty("responses")[1].GetProperty("category").GetString().ShouldBe("PR");
        t.GetProperty("adverseEvents")[0].GetProperty("grade").GetInt32().ShouldBe(2);
        t.GetProperty("death").GetProperty("date").GetString().ShouldBe("2021-09-10");
        t.GetProperty("death").GetProperty("cause").GetString().ShouldBe("disease");
        t.GetProperty("lastContact").GetString().ShouldBe("2021-09-10");
        // The relapse (2020-05-01) precedes line 2, so the anchor is the progression after line 2 started.
        t.GetProperty("anchor").GetProperty("date").GetString().ShouldBe("2020-11-01");
        t.GetProperty("anchor").GetProperty("kind").GetString().ShouldBe("progression");
        t.GetProperty("anchor").GetProperty("eventId").GetGuid().ShouldBe(ids["progression"]);
    }

    [Fact]
    public async Task The_patient_list_filters_by_histology_name_or_code()
    {
        await Api.WithDiagnosedPatient("OSC-001", "osteosarcoma");
        await Api.WithDiagnosedPatient("SYN-001", "9040/3");
        await Api.WithEnrolledPatient("NEW-001");

        var all = (await Api.Get("/api/patients")).ShouldHave(HttpStatusCode.OK).Json;
        all.GetArrayLength().ShouldBe(3);
        var osteo = (await Api.Get("/api/patients?histology=osteosarcoma")).Json;
        osteo.GetArrayLength().ShouldBe(1);
        osteo[0].GetProperty("patientId").GetString().ShouldBe("OSC-001");
        osteo[0].GetProperty("status").GetString().ShouldBe("diagnosed");
        osteo[0].GetProperty("version").GetInt64().ShouldBe(2);
        var synovial = (await Api.Get("/api/patients?histology=9040%2F3")).Json;
        synovial[0].GetProperty("patientId").GetString().ShouldBe("SYN-001");
        synovial[0].GetProperty("histologyName").GetString().ShouldBe("synovial sarcoma");
        (await Api.Get("/api/patients?histology=banana")).ShouldBeProblem(HttpStatusCode.BadRequest, "histology");
    }

    [Fact]
    public async Task An_unknown_patient_is_404_on_every_route()
    {
        foreach (var route in new[] { "diagnosis", "treatment-lines", "treatment-lines/1/end", "responses", "progressions", "relapses",
                     "adverse-events", "follow-ups", "death", "corrections" })
        {
            var body = route switch
            {
                "diagnosis" => (object)new { date = "2020-01-01", histology = "osteosarcoma" },
                "treatment-lines" => new { line = 1, startDate = "2020-01-01", agents = new[] { "x" } },
                "treatment-lines/1/end" => new { date = "2020-01-01", reason = "completed" },
                "responses" => new { date = "2020-01-01", line = 1, category = "CR" },
                "adverse-events" => new { date = "2020-01-01", term = "Nausea", grade = 1 },
                "corrections" => new { eventId = Guid.NewGuid(), reason = "typo", retract = true },
                _ => new { date = "2020-01-01" },
            };
            (await Api.Post($"/api/patients/NOBODY/{route}", body)).ShouldHave(HttpStatusCode.NotFound);
        }
        (await Api.Get("/api/patients/NOBODY/timeline")).ShouldHave(HttpStatusCode.NotFound);
        (await Api.Get("/api/patients/NOBODY/history")).ShouldHave(HttpStatusCode.NotFound);
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Health_reports_the_database_and_openapi_describes_every_route()
    {
        var health = (await Api.Get("/health")).ShouldHave(HttpStatusCode.OK).Json;
        health.GetProperty("database").GetString().ShouldBe("reachable");

        var openApi = (await Api.Get("/openapi/v1.json")).ShouldHave(HttpStatusCode.OK).Json.GetProperty("paths");
        foreach (var path in new[] { "/api/patients", "/api/patients/{patientId}/diagnosis", "/api/patients/{patientId}/treatment-lines",
                     "/api/patients/{patientId}/treatment-lines/{line}/end", "/api/patients/{patientId}/responses",
                     "/api/patients/{patientId}/progressions", "/api/patients/{patientId}/relapses", "/api/patients/{patientId}/adverse-events",
                     "/api/patients/{patientId}/follow-ups", "/api/patients/{patientId}/death", "/api/patients/{patientId}/corrections",
                     "/api/patients/{patientId}/timeline", "/api/patients/{patientId}/history" })
            openApi.TryGetProperty(path, out _).ShouldBeTrue(path);
    }
}
