using System.Net;
using System.Text.Json;
using Timeline.Tests.Api;

namespace Timeline.Tests.MissingData;

/// <summary>
/// Each analysis says how many of the patients it covers have each missing value: now, as of a past time (before a
/// correction filled a value), by histology, and after a regeneration rebuilt the read model from the log.
/// </summary>
public sealed class MissingValueCountsTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<Guid> DiagnosisOf(string id) =>
        (await Api.Get($"/api/patients/{id}/timeline")).Json.GetProperty("diagnosis").GetProperty("eventId").GetGuid();

    async Task Correct(string id, object replacement, string reason) =>
        (await Api.Post($"/api/patients/{id}/corrections", new { eventId = await DiagnosisOf(id), reason, replacement })).ShouldHave(HttpStatusCode.OK);

    /// <summary>
    /// MV-1: the full course (mtki group, mTKI line), metastatic not done. MV-2: diagnosed only, metastatic not done.
    /// MV-3: synovial sarcoma, diagnosed only, metastatic unknown. MV-4: osteosarcoma, two lines whose regimens are
    /// both unknown (one patient, counted once).
    /// </summary>
    async Task RecordCohort()
    {
        await Api.RecordFullCourse("MV-1");
        await Correct("MV-1", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "femur", missing = new { field = "metastatic", reason = "not-done" } },
            "Staging was not done");
        await Api.WithEnrolledPatient("MV-2");
        (await Api.Post("/api/patients/MV-2/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", missing = new { field = "metastatic", reason = "not-done" } }))
            .ShouldHave(HttpStatusCode.OK);
        await Api.WithEnrolledPatient("MV-3");
        (await Api.Post("/api/patients/MV-3/diagnosis", new { date = "2019-03-01", histology = "synovial sarcoma", missing = new { field = "metastatic", reason = "unknown" } }))
            .ShouldHave(HttpStatusCode.OK);
        await Api.WithDiagnosedPatient("MV-4");
        foreach (var (line, start) in new[] { (1, "2019-03-15"), (2, "2019-09-01") })
            (await Api.Post("/api/patients/MV-4/treatment-lines", new { line, startDate = start, agents = new[] { "ifosfamide" }, missing = new { field = "regimen", reason = "unknown" } }))
                .ShouldHave(HttpStatusCode.OK);
    }

    async Task<string[]> Counts(string analysis, string query = "")
    {
        var answer = (await Api.Get($"/api/analyses/{analysis}{query}")).ShouldHave(HttpStatusCode.OK).Json;
        return answer.GetProperty("missingValues").EnumerateArray()
            .Select(m => $"{m.GetProperty("fact").GetString()}.{m.GetProperty("field").GetString()}={m.GetProperty("reason").GetString()}:{m.GetProperty("patients").GetInt32()}")
            .ToArray();
    }

    [Fact]
    public async Task Each_analysis_counts_the_missing_values_of_the_patients_it_covers()
    {
        await RecordCohort();

        (await Counts("cohort")).ShouldBe(["diagnosis.metastatic=not-done:2", "diagnosis.metastatic=unknown:1", "treatment-line.regimen=unknown:1"]);
        (await Counts("cohort", "?histology=osteosarcoma")).ShouldBe(["diagnosis.metastatic=not-done:2", "treatment-line.regimen=unknown:1"]);
        (await Counts("cohort", "?histology=9040/3")).ShouldBe(["diagnosis.metastatic=unknown:1"]);
        // Only MV-1 is in a survival group and started an mTKI line.
        (await Counts("overall-survival")).ShouldBe(["diagnosis.metastatic=not-done:1"]);
        (await Counts("time-to-progression")).ShouldBe(["diagnosis.metastatic=not-done:1"]);
        (await Counts("response")).ShouldBe(["diagnosis.metastatic=not-done:1"]);
    }

    [Fact]
    public async Task AsOf_gives_the_counts_as_known_then_and_a_regeneration_keeps_them()
    {
        await RecordCohort();
        await Task.Delay(20);
        var beforeFilling = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        await Task.Delay(20);

        // The staging is found for MV-1 and MV-3: the values are filled by corrections.
        await Correct("MV-1", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "femur", metastatic = true }, "Staging CT found");
        await Correct("MV-3", new { date = "2019-03-01", histology = "synovial sarcoma", metastatic = false }, "Staging CT found");

        (await Counts("cohort")).ShouldBe(["diagnosis.metastatic=not-done:1", "treatment-line.regimen=unknown:1"]);
        (await Counts("overall-survival")).ShouldBeEmpty();
        (await Counts("response")).ShouldBeEmpty();

        (await Counts("cohort", $"?asOf={beforeFilling}")).ShouldBe(["diagnosis.metastatic=not-done:2", "diagnosis.metastatic=unknown:1", "treatment-line.regimen=unknown:1"]);
        (await Counts("overall-survival", $"?asOf={beforeFilling}")).ShouldBe(["diagnosis.metastatic=not-done:1"]);
        (await Counts("time-to-progression", $"?asOf={beforeFilling}")).ShouldBe(["diagnosis.metastatic=not-done:1"]);
        (await Counts("response", $"?asOf={beforeFilling}&histology=osteosarcoma")).ShouldBe(["diagnosis.metastatic=not-done:1"]);

        // A regeneration rebuilds the read model from the log: the same counts, now and then.
        (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK);
        (await Counts("cohort")).ShouldBe(["diagnosis.metastatic=not-done:1", "treatment-line.regimen=unknown:1"]);
        (await Counts("cohort", $"?asOf={beforeFilling}")).ShouldBe(["diagnosis.metastatic=not-done:2", "diagnosis.metastatic=unknown:1", "treatment-line.regimen=unknown:1"]);
        (await Counts("overall-survival", $"?asOf={beforeFilling}")).ShouldBe(["diagnosis.metastatic=not-done:1"]);
    }
}
