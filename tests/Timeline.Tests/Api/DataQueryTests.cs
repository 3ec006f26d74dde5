using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;

namespace Timeline.Tests.Api;

/// <summary>Data queries through HTTP: raised by an auditor, answered by a recorder, closed and reopened; every refusal writes nothing.</summary>
public sealed class DataQueryTests(ApiFixture fixture) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;
    Scenarios Auditor => Api.As(users.Auditor);
    Scenarios Recorder => Api.As(users.Recorder);

    [Fact]
    public async Task A_query_on_a_fact_goes_open_answered_closed_reopened_and_a_closed_one_cannot_be_edited()
    {
        var ids = await Api.RecordFullCourse("OSC-001");
        var version = await Api.VersionOf("OSC-001");

        var raised = (await Auditor.Post("/api/patients/OSC-001/queries", new { eventId = ids["response2"], text = "Source document shows SD, not PR?" }))
            .ShouldHave(HttpStatusCode.Created);
        var queryId = raised.Json.GetProperty("queryId").GetString()!;
        queryId.ShouldStartWith("Q-");
        raised.Location.ShouldBe($"/api/queries/{queryId}");
        raised.Json.GetProperty("status").GetString().ShouldBe("open");
        raised.Json.GetProperty("eventId").GetGuid().ShouldBe(ids["response2"]);
        // The dialogue is not part of the record: the patient's version does not move.
        (await Api.VersionOf("OSC-001")).ShouldBe(version);

        var open = (await Recorder.Get("/api/queries?status=open&patientId=OSC-001")).ShouldHave(HttpStatusCode.OK).Json;
        open.EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(queryId);

        (await Recorder.Post($"/api/queries/{queryId}/answer", new { text = "Checked: PR confirmed by the radiology report." }))
            .ShouldHave(HttpStatusCode.OK).Json.GetProperty("status").GetString().ShouldBe("answered");
        (await Recorder.Post($"/api/queries/{queryId}/answer", new { text = "again" })).ShouldBeProblem(HttpStatusCode.Conflict, "status");
        (await Auditor.Post($"/api/queries/{queryId}/close", new { })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("status").GetString().ShouldBe("closed");
        (await Recorder.Get("/api/queries?status=open")).Json.GetArrayLength().ShouldBe(0);

        // Closed: neither answered nor closed again, and nothing is written by the refusals.
        var before = await EventCount();
        (await Recorder.Post($"/api/queries/{queryId}/answer", new { text = "late" })).ShouldBeProblem(HttpStatusCode.Conflict, "status");
        (await Auditor.Post($"/api/queries/{queryId}/close", new { })).ShouldBeProblem(HttpStatusCode.Conflict, "status");
        (await EventCount()).ShouldBe(before);

        (await Auditor.Post($"/api/queries/{queryId}/reopen", new { text = "The report is dated after the assessment." }))
            .ShouldHave(HttpStatusCode.OK).Json.GetProperty("status").GetString().ShouldBe("open");
        (await Auditor.Post($"/api/queries/{queryId}/reopen", new { })).ShouldBeProblem(HttpStatusCode.Conflict, "status");

        var query = (await Auditor.Get($"/api/queries/{queryId}")).ShouldHave(HttpStatusCode.OK).Json;
        query.GetProperty("status").GetString().ShouldBe("open");
        query.GetProperty("version").GetInt64().ShouldBe(4);
        query.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("by").GetString()))
            .ShouldBe([("raised", "test-auditor"), ("answered", "test-recorder"), ("closed", "test-auditor"), ("reopened", "test-auditor")]);
    }

    [Fact]
    public async Task A_query_on_the_patient_as_a_whole_is_listed_with_its_patient()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        await Api.WithDiagnosedPatient("OSC-002");
        (await Auditor.Post("/api/patients/OSC-001/queries", new { text = "Consent form missing?" })).ShouldHave(HttpStatusCode.Created);
        (await Auditor.Post("/api/patients/OSC-002/queries", new { text = "Date of birth to verify" })).ShouldHave(HttpStatusCode.Created);

        var mine = (await Api.As(users.Investigator).Get("/api/queries?patientId=OSC-002")).ShouldHave(HttpStatusCode.OK).Json;
        var only = mine.EnumerateArray().Single();
        only.GetProperty("patientId").GetString().ShouldBe("OSC-002");
        only.GetProperty("eventId").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (await Recorder.Get("/api/queries")).Json.GetArrayLength().ShouldBe(2);
        // No query stream is taken for a patient, neither when recorded nor by a rebuild of every projection.
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(2);
        var worklist = (await Recorder.Get("/api/queries")).Body;
        (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK);
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(2);
        (await Recorder.Get("/api/queries")).Body.ShouldBe(worklist);
    }

    [Fact]
    public async Task Refused_queries_name_the_field_and_write_nothing()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var before = await EventCount();

        (await Auditor.Post("/api/patients/OSC-001/queries", new { text = "" })).ShouldBeProblem(HttpStatusCode.BadRequest, "text");
        (await Auditor.Post("/api/patients/OSC-001/queries", new { text = new string('x', 2001) })).ShouldBeProblem(HttpStatusCode.BadRequest, "text");
        (await Auditor.Post("/api/patients/OSC-001/queries", new { eventId = Guid.NewGuid(), text = "which?" })).ShouldBeProblem(HttpStatusCode.BadRequest, "eventId");
        (await Auditor.Post("/api/patients/OSC-404/queries", new { text = "who?" })).ShouldHave(HttpStatusCode.NotFound);
        (await Recorder.Post("/api/patients/OSC-001/queries", new { text = "a recorder cannot raise" })).ShouldHave(HttpStatusCode.Forbidden);
        (await Recorder.Post("/api/queries/Q-00000000-0000-0000-0000-000000000000/answer", new { text = "x" })).ShouldBeProblem(HttpStatusCode.NotFound, "queryId");
        (await Recorder.Post("/api/queries/not-a-query/answer", new { text = "x" })).ShouldBeProblem(HttpStatusCode.NotFound, "queryId");
        (await Recorder.Get("/api/queries?status=pending")).ShouldBeProblem(HttpStatusCode.BadRequest, "status");
        (await EventCount()).ShouldBe(before);

        var queryId = (await Auditor.Post("/api/patients/OSC-001/queries", new { text = "Histology confirmed centrally?" }))
            .ShouldHave(HttpStatusCode.Created).Json.GetProperty("queryId").GetString();
        before = await EventCount();
        (await Auditor.Post($"/api/queries/{queryId}/answer", new { text = "an auditor cannot answer" })).ShouldHave(HttpStatusCode.Forbidden);
        (await Recorder.Post($"/api/queries/{queryId}/close", new { })).ShouldHave(HttpStatusCode.Forbidden);
        (await Recorder.Post($"/api/queries/{queryId}/reopen", new { })).ShouldHave(HttpStatusCode.Forbidden);
        (await Api.As(users.Analyst).Get("/api/queries")).ShouldHave(HttpStatusCode.Forbidden);
        (await Recorder.Post($"/api/queries/{queryId}/answer", new { text = " " })).ShouldBeProblem(HttpStatusCode.BadRequest, "text");
        (await Auditor.Post($"/api/queries/{queryId}/reopen", new { })).ShouldBeProblem(HttpStatusCode.Conflict, "status");
        (await EventCount()).ShouldBe(before);
    }

    async Task<int> EventCount()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}
