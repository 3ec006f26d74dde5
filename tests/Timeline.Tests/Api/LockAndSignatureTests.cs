using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Timeline.Tests.Api;

/// <summary>
/// Locks (admin) refuse every append until unlocked; signatures (investigator) re-authenticate with the signer's
/// token, record signer, time, meaning and the version covered, and are superseded by a later fact or correction.
/// </summary>
public sealed class LockAndSignatureTests(ApiFixture fixture) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;
    Scenarios Investigator => Api.As(users.Investigator);
    Scenarios Recorder => Api.As(users.Recorder);

    [Fact]
    public async Task A_locked_patient_refuses_every_append_and_correction_with_409_naming_the_lock_until_unlocked()
    {
        var ids = await Api.RecordFullCourse("OSC-001");
        await Api.WithDiagnosedPatient("OSC-002");
        var locked = (await Api.Post("/api/patients/OSC-001/lock", new { reason = "Interim analysis data cut" })).ShouldHave(HttpStatusCode.OK);
        var version = locked.Json.GetProperty("version").GetInt64();
        locked.ETag.ShouldBe($"\"{version}\"");

        var timeline = (await Recorder.Get("/api/patients/OSC-001/timeline")).Json;
        timeline.GetProperty("locked").GetProperty("reason").GetString().ShouldBe("Interim analysis data cut");
        timeline.GetProperty("locked").GetProperty("by").GetString().ShouldBe(ApiFixture.User);

        var refusals = new (string Route, object Body)[]
        {
            ("follow-ups", new { date = "2021-07-01" }),
            ("adverse-events", new { date = "2021-07-01", line = 3, term = "Fatigue", grade = 1 }),
            ("corrections", new { eventId = ids["follow-up"], reason = "wrong date", replacement = new { date = "2021-06-02" } }),
            ("corrections", new { eventId = ids["ae"], reason = "wrong patient", retract = true }),
        };
        foreach (var (route, body) in refusals)
        {
            var refused = (await Recorder.Post($"/api/patients/OSC-001/{route}", body)).ShouldBeProblem(HttpStatusCode.Conflict, "patientId");
            refused.Json.GetProperty("rule").GetString().ShouldBe("record-locked");
            refused.Json.GetProperty("lockReason").GetString().ShouldBe("Interim analysis data cut");
        }
        // With an Idempotency-Key (the path alone) and with If-Match too.
        using (var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/patients/OSC-001/follow-ups")
        {
            Content = new StringContent("""{ "date": "2021-07-01" }""", System.Text.Encoding.UTF8, "application/json"),
        })
        {
            keyed.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            (await Recorder.Send(keyed)).ShouldBeProblem(HttpStatusCode.Conflict, "patientId");
        }
        (await Recorder.Post("/api/patients/OSC-001/follow-ups", new { date = "2021-07-01" }, ifMatch: $"\"{version}\"")).ShouldHave(HttpStatusCode.Conflict);
        (await Api.VersionOf("OSC-001")).ShouldBe(version);
        // Another patient is not locked.
        (await Recorder.Post("/api/patients/OSC-002/follow-ups", new { date = "2021-07-01" })).ShouldHave(HttpStatusCode.OK);

        (await Api.Post("/api/patients/OSC-001/lock", new { reason = "again" })).ShouldBeProblem(HttpStatusCode.Conflict, "patientId");
        (await Api.Post("/api/patients/OSC-001/unlock", new { reason = "Data cut taken" })).ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/OSC-001/unlock", new { reason = "again" })).ShouldBeProblem(HttpStatusCode.Conflict, "patientId");
        (await Recorder.Post("/api/patients/OSC-001/follow-ups", new { date = "2021-07-01" })).ShouldHave(HttpStatusCode.OK);
        (await Recorder.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("locked").ValueKind.ShouldBe(JsonValueKind.Null);

        // The lock and unlock are in the history, by whom and why, and in an asOf replay.
        var history = (await Api.Get("/api/patients/OSC-001/history")).Json.EnumerateArray().ToList();
        var lockEntry = history.Single(e => e.GetProperty("type").GetString() == "patient-locked");
        lockEntry.GetProperty("recordedBy").GetString().ShouldBe(ApiFixture.User);
        history.Single(e => e.GetProperty("type").GetString() == "patient-unlocked").GetProperty("data").GetProperty("reason").GetString().ShouldBe("Data cut taken");
        var at = Uri.EscapeDataString(lockEntry.GetProperty("recordedAt").GetString()!);
        (await Api.Get($"/api/patients/OSC-001/timeline?asOf={at}")).Json.GetProperty("locked").GetProperty("reason").GetString().ShouldBe("Interim analysis data cut");
    }

    [Fact]
    public async Task Lock_refusals_name_the_field_and_only_an_admin_locks()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var before = await EventCount();
        (await Api.Post("/api/patients/OSC-001/lock", new { })).ShouldBeProblem(HttpStatusCode.BadRequest, "reason");
        (await Api.Post("/api/patients/OSC-404/lock", new { reason = "x" })).ShouldHave(HttpStatusCode.NotFound);
        (await Recorder.Post("/api/patients/OSC-001/lock", new { reason = "x" })).ShouldHave(HttpStatusCode.Forbidden);
        (await Investigator.Post("/api/patients/OSC-001/lock", new { reason = "x" })).ShouldHave(HttpStatusCode.Forbidden);
        (await Api.As(users.Auditor).Post("/api/patients/OSC-001/unlock", new { reason = "x" })).ShouldHave(HttpStatusCode.Forbidden);
        (await EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task A_lock_racing_appends_is_never_bypassed_no_fact_lands_after_it()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var appends = Enumerable.Range(0, 24).Select(i =>
            Recorder.Post("/api/patients/OSC-001/adverse-events", new { date = "2020-01-01", term = $"Fatigue {i}", grade = 1 })).ToList();
        var locking = Api.Post("/api/patients/OSC-001/lock", new { reason = "race" });
        var answers = await Task.WhenAll(appends);
        (await locking).ShouldHave(HttpStatusCode.OK);

        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK || a.Status == HttpStatusCode.Conflict);
        var history = (await Api.Get("/api/patients/OSC-001/history")).Json.EnumerateArray().ToList();
        var lockAt = history.FindIndex(e => e.GetProperty("type").GetString() == "patient-locked");
        history.Skip(lockAt + 1).ShouldBeEmpty("nothing may be appended after the lock");
        history.Count(e => e.GetProperty("type").GetString() == "adverse-event-recorded").ShouldBe(answers.Count(a => a.Status == HttpStatusCode.OK));
    }

    [Fact]
    public async Task An_investigator_signs_with_their_own_token_and_a_later_fact_supersedes_the_signature()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var covered = await Api.VersionOf("OSC-001");
        var signed = (await Investigator.Post("/api/patients/OSC-001/signatures", new { meaning = "reviewed", secret = users.Investigator }))
            .ShouldHave(HttpStatusCode.OK).Json;
        signed.GetProperty("version").GetInt64().ShouldBe(covered + 1);

        var signature = (await Investigator.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("signatures").EnumerateArray().Single();
        signature.GetProperty("signer").GetString().ShouldBe("test-investigator");
        signature.GetProperty("meaning").GetString().ShouldBe("reviewed");
        signature.GetProperty("coversVersion").GetInt64().ShouldBe(covered);
        signature.GetProperty("status").GetString().ShouldBe("current");
        signature.GetProperty("signedAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        var history = (await Investigator.Get("/api/patients/OSC-001/history")).ShouldHave(HttpStatusCode.OK).Json.EnumerateArray().Last();
        history.GetProperty("type").GetString().ShouldBe("record-signed");
        history.GetProperty("recordedBy").GetString().ShouldBe("test-investigator");
        history.GetProperty("data").ToString().ShouldNotContain(users.Investigator); // the secret is never stored

        var followUp = (await Recorder.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-01-01" })).ShouldHave(HttpStatusCode.OK).Json;
        var after = (await Investigator.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("signatures").EnumerateArray().Single();
        after.GetProperty("status").GetString().ShouldBe("superseded");
        after.GetProperty("supersededBy").GetGuid().ShouldBe(followUp.GetProperty("eventId").GetGuid());

        // With If-Match the investigator signs exactly the version reviewed: a record that moved since is a 412.
        var head = await Api.VersionOf("OSC-001");
        (await Investigator.Post("/api/patients/OSC-001/signatures", new { meaning = "approved", secret = users.Investigator }, ifMatch: $"\"{head - 1}\""))
            .ShouldHave(HttpStatusCode.PreconditionFailed);
        (await Api.VersionOf("OSC-001")).ShouldBe(head);

        // A locked record can be signed (approved), and that signature is current; it can still be queried.
        (await Api.Post("/api/patients/OSC-001/lock", new { reason = "sign-off" })).ShouldHave(HttpStatusCode.OK);
        (await Api.As(users.Auditor).Post("/api/patients/OSC-001/queries", new { text = "Consent version?" })).ShouldHave(HttpStatusCode.Created);
        (await Investigator.Post("/api/patients/OSC-001/signatures", new { meaning = "approved", secret = users.Investigator })).ShouldHave(HttpStatusCode.OK);
        (await Investigator.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("signatures").EnumerateArray()
            .Select(s => (s.GetProperty("meaning").GetString(), s.GetProperty("status").GetString()))
            .ShouldBe([("reviewed", "superseded"), ("approved", "current")]);
    }

    [Fact]
    public async Task A_wrong_or_missing_secret_is_401_and_nothing_is_signed_and_other_roles_cannot_sign()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var before = await EventCount();
        foreach (var body in new object[]
        {
            new { meaning = "reviewed" },
            new { meaning = "reviewed", secret = "" },
            new { meaning = "reviewed", secret = users.Admin }, // a valid token, but someone else's
            new { meaning = "reviewed", secret = users.Investigator[..^1] + (users.Investigator[^1] == 'A' ? "B" : "A") },
        })
        {
            var refused = (await Investigator.Post("/api/patients/OSC-001/signatures", body)).ShouldBeProblem(HttpStatusCode.Unauthorized, "secret");
            refused.Json.GetProperty("rule").GetString().ShouldBe("signature-reauthentication");
        }
        (await Investigator.Post("/api/patients/OSC-001/signatures", new { secret = users.Investigator })).ShouldBeProblem(HttpStatusCode.BadRequest, "meaning");
        (await Investigator.Post("/api/patients/OSC-001/signatures", new { meaning = "signed", secret = users.Investigator })).ShouldHave(HttpStatusCode.BadRequest);
        (await Investigator.Post("/api/patients/OSC-404/signatures", new { meaning = "approved", secret = users.Investigator })).ShouldHave(HttpStatusCode.NotFound);
        (await Recorder.Post("/api/patients/OSC-001/signatures", new { meaning = "approved", secret = users.Recorder })).ShouldHave(HttpStatusCode.Forbidden);
        (await Api.As(users.Auditor).Post("/api/patients/OSC-001/signatures", new { meaning = "approved", secret = users.Auditor })).ShouldHave(HttpStatusCode.Forbidden);
        (await Investigator.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-01-01" })).ShouldHave(HttpStatusCode.Forbidden);
        (await EventCount()).ShouldBe(before);
    }

    async Task<int> EventCount()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}
