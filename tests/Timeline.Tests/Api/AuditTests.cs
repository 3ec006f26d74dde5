using System.Net;

namespace Timeline.Tests.Api;

/// <summary>Corrections, the audit history, and the timeline as it stood before them.</summary>
public sealed class AuditTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_corrected_date_shows_in_the_timeline_and_the_history_keeps_the_original_with_reason_and_author()
    {
        var ids = await Api.RecordFullCourse("OSC-001");
        var beforeCorrection = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        var corrected = await Api.Post("/api/patients/OSC-001/corrections", new
        {
            eventId = ids["progression"],
            reason = "Scan date misread: report dated 2020-10-20",
            replacement = new { date = "2020-10-20" },
        });
        corrected.ShouldHave(HttpStatusCode.OK);
        corrected.ETag.ShouldBe("\"15\"");
        var correctionId = corrected.Json.GetProperty("eventId").GetGuid();

        // Now: the corrected date is the anchor.
        var now = (await Api.Get("/api/patients/OSC-001/timeline")).Json;
        now.GetProperty("anchor").GetProperty("date").GetString().ShouldBe("2020-10-20");
        now.GetProperty("progressions")[0].GetProperty("corrected").GetBoolean().ShouldBeTrue();

        // As it stood before: by recorded time and by version.
        var asOf = Uri.EscapeDataString(beforeCorrection.ToString("O"));
        var then = (await Api.Get($"/api/patients/OSC-001/timeline?asOf={asOf}")).ShouldHave(HttpStatusCode.OK).Json;
        then.GetProperty("anchor").GetProperty("date").GetString().ShouldBe("2020-11-01");
        then.GetProperty("version").GetInt64().ShouldBe(14);
        var byVersion = (await Api.Get("/api/patients/OSC-001/timeline?version=14")).Json;
        byVersion.GetProperty("anchor").GetProperty("date").GetString().ShouldBe("2020-11-01");
        var early = (await Api.Get("/api/patients/OSC-001/timeline?version=3")).Json;
        early.GetProperty("treatmentLines").GetArrayLength().ShouldBe(1);
        early.GetProperty("death").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        // The history: original marked corrected, the correction with its reason and its author.
        var history = (await Api.Get("/api/patients/OSC-001/history")).Json.EnumerateArray().ToList();
        history.Count.ShouldBe(15);
        var original = history.Single(e => e.GetProperty("eventId").GetGuid() == ids["progression"]);
        original.GetProperty("status").GetString().ShouldBe("corrected");
        original.GetProperty("correctedBy").GetGuid().ShouldBe(correctionId);
        original.GetProperty("data").GetProperty("date").GetString().ShouldBe("2020-11-01");
        var correction = history[^1];
        correction.GetProperty("type").GetString().ShouldBe("fact-corrected");
        correction.GetProperty("correction").GetProperty("eventId").GetGuid().ShouldBe(ids["progression"]);
        correction.GetProperty("correction").GetProperty("reason").GetString().ShouldBe("Scan date misread: report dated 2020-10-20");
        correction.GetProperty("recordedBy").GetString().ShouldBe(ApiFixture.User);
        correction.GetProperty("data").GetProperty("replacement").GetProperty("date").GetString().ShouldBe("2020-10-20");
        correction.GetProperty("version").GetInt64().ShouldBe(15);
        correction.GetProperty("sequence").GetInt64().ShouldBeGreaterThan(original.GetProperty("sequence").GetInt64());
        DateTimeOffset.Parse(correction.GetProperty("recordedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(beforeCorrection);
        history.ShouldAllBe(e => e.GetProperty("recordedBy").GetString() == ApiFixture.User);
    }

    [Fact]
    public async Task A_retraction_removes_the_fact_from_the_timeline_and_marks_it_in_the_history()
    {
        var ids = await Api.RecordFullCourse("OSC-001");

        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["ae"], reason = "Recorded on the wrong patient", retract = true }))
            .ShouldHave(HttpStatusCode.OK);

        (await Api.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("adverseEvents").GetArrayLength().ShouldBe(0);
        var history = (await Api.Get("/api/patients/OSC-001/history")).Json.EnumerateArray().ToList();
        history.Single(e => e.GetProperty("eventId").GetGuid() == ids["ae"]).GetProperty("status").GetString().ShouldBe("retracted");

        // A retracted fact cannot be corrected or retracted again.
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["ae"], reason = "again", retract = true }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "eventId");
        (await Api.VersionOf("OSC-001")).ShouldBe(15);
    }

    [Fact]
    public async Task A_replacement_obeys_the_rules_in_place_and_a_bad_one_writes_nothing()
    {
        var ids = await Api.RecordFullCourse("OSC-001");

        // Moving line 3's start before line 2's start breaks the line order.
        (await Api.Post("/api/patients/OSC-001/corrections", new
        {
            eventId = ids["line3"], reason = "wrong", replacement = new { line = 3, startDate = "2020-01-01", agents = new[] { "sorafenib" } },
        })).ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.startDate");
        // A progression moved after the death.
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["progression"], reason = "wrong", replacement = new { date = "2022-01-01" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.date");
        // No reason; both replacement and retract; an unknown event; a malformed replacement.
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["progression"], replacement = new { date = "2020-10-01" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "reason");
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["progression"], reason = "x", retract = true, replacement = new { date = "2020-10-01" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "replacement");
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = Guid.NewGuid(), reason = "x", retract = true }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "eventId");
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["response2"], reason = "x", replacement = new { date = "2021-03-15", line = 3, category = "XX" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.category");
        // Retracting line 2's start would leave line 3 without its predecessor.
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["line2"], reason = "x", retract = true }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "eventId");

        (await Api.VersionOf("OSC-001")).ShouldBe(14);

        // A line end is replaced with its line in the body.
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = ids["line1-end"], reason = "toxicity, not completion", replacement = new { line = 1, date = "2019-09-01", reason = "toxicity" } }))
            .ShouldHave(HttpStatusCode.OK);
        var line1 = (await Api.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("treatmentLines")[0];
        line1.GetProperty("endReason").GetString().ShouldBe("toxicity");
        line1.GetProperty("endDate").GetString().ShouldBe("2019-09-01");
    }

    [Fact]
    public async Task As_of_a_time_before_enrolment_is_404_and_a_bad_as_of_is_400()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        await Api.WithEnrolledPatient("OSC-001");
        (await Api.Get($"/api/patients/OSC-001/timeline?asOf={Uri.EscapeDataString(before)}")).ShouldHave(HttpStatusCode.NotFound);
        (await Api.Get("/api/patients/OSC-001/timeline?asOf=last-tuesday")).ShouldBeProblem(HttpStatusCode.BadRequest, "asOf");
        (await Api.Get("/api/patients/OSC-001/timeline?version=0")).ShouldBeProblem(HttpStatusCode.BadRequest, "version");
        (await Api.Get("/api/patients/OSC-001/timeline?version=abc")).ShouldHave(HttpStatusCode.BadRequest);
    }
}
