using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;
using Timeline.Exchange.Fhir;
using Timeline.Tests.Api;
using Xunit.Abstractions;
using Task = System.Threading.Tasks.Task;

namespace Timeline.Tests.Exports;

/// <summary>
/// POST /api/import/fhir: a hand-built SYNTHETIC Bundle recorded as the facts the routes would record, in an order the
/// rules accept, each event naming the importing user and its bundle entry; every refusal names the resource and
/// writes nothing (the store's events counted before and after).
/// </summary>
public sealed class FhirImportTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;
    const string Route = "/api/import/fhir";

    async Task<Answer> Import(string json, string? token = null, string contentType = "application/fhir+json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (idempotencyKey is not null) request.Headers.Add(Idempotency.Header, idempotencyKey);
        return await (token is null ? Api : Api.As(token)).Send(request);
    }

    async Task<long> EventsInStore()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    static string? Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).ToString();

    [Fact]
    public async Task A_full_course_is_recorded_fact_by_fact_and_the_timeline_shows_every_field()
    {
        var answer = (await Import(FhirBundles.FullCourse("SYN-FHIR-01").Json)).ShouldHave(HttpStatusCode.Created);

        answer.Location.ShouldBe("/api/patients/SYN-FHIR-01");
        answer.ETag.ShouldBe("\"15\"");
        answer.Json.GetProperty("patientId").GetString().ShouldBe("SYN-FHIR-01");
        answer.Json.GetProperty("version").GetInt64().ShouldBe(15);
        answer.Json.GetProperty("events").GetInt32().ShouldBe(15);

        var t = (await Api.Get("/api/patients/SYN-FHIR-01/timeline")).ShouldHave(HttpStatusCode.OK).Json;
        t.GetProperty("version").GetInt64().ShouldBe(15);
        Text(t.GetProperty("demographics"), "birthDate").ShouldBe("2006-04-12");
        Text(t.GetProperty("demographics"), "sex").ShouldBe("female");

        var dx = t.GetProperty("diagnosis");
        (Text(dx, "date"), Text(dx, "histology"), Text(dx, "histologyName"), Text(dx, "primarySite"), Text(dx, "metastatic"))
            .ShouldBe(("2019-03-01", "9180/3", "osteosarcoma", "femur", "False"));

        var lines = t.GetProperty("treatmentLines").EnumerateArray().ToList();
        lines.Select(l => (l.GetProperty("line").GetInt32(), Text(l, "startDate"), Text(l, "endDate"), Text(l, "endReason"), Text(l, "regimen"), l.GetProperty("isMtki").GetBoolean()))
            .ShouldBe([
                (1, "2019-03-15", "2019-10-01", "completed", "MAP", false),
                (2, "2020-05-20", "2020-11-01", "progression", "IE", false),
                (3, "2020-11-20", null, null, null, true),
            ]);
        lines.Select(l => string.Join("+", l.GetProperty("agents").EnumerateArray().Select(a => a.GetString())))
            .ShouldBe(["methotrexate+doxorubicin+cisplatin", "ifosfamide+etoposide", "sorafenib"]);
        lines[0].GetProperty("responses").GetArrayLength().ShouldBe(0);
        lines[2].GetProperty("responses").EnumerateArray().Select(r => (Text(r, "date"), Text(r, "category")))
            .ShouldBe([("2021-01-15", "SD"), ("2021-03-15", "PR")]);

        t.GetProperty("progressions").EnumerateArray().Select(p => Text(p, "date")).ShouldBe(["2020-11-01"]);
        t.GetProperty("relapses").EnumerateArray().Select(p => Text(p, "date")).ShouldBe(["2020-05-01"]);
        t.GetProperty("followUps").EnumerateArray().Select(p => Text(p, "date")).ShouldBe(["2021-06-01"]);
        t.GetProperty("adverseEvents").EnumerateArray().Select(a => (Text(a, "date"), Text(a, "line"), Text(a, "term"), a.GetProperty("grade").GetInt32()))
            .ShouldBe([("2019-04-02", null, "Nausea", 1), ("2021-02-01", "3", "Palmar-plantar erythrodysesthesia syndrome", 2)]);
        (Text(t.GetProperty("death"), "date"), Text(t.GetProperty("death"), "cause")).ShouldBe(("2021-09-10", "disease"));
        Text(t, "lastContact").ShouldBe("2021-09-10");
        // The second-line relapse anchor: the progression on or after the start of line 2 (the relapse was before it).
        Text(t.GetProperty("anchor"), "date").ShouldBe("2020-11-01");

        // The chart kept inline (the patient list's source) was written in the same transaction.
        var listed = (await Api.Get("/api/patients")).ShouldHave(HttpStatusCode.OK).Json.EnumerateArray()
            .Single(p => p.GetProperty("patientId").GetString() == "SYN-FHIR-01");
        (Text(listed, "histology"), Text(listed, "status"), listed.GetProperty("version").GetInt64()).ShouldBe(("9180/3", "deceased", 15L));
    }

    [Fact]
    public async Task Each_event_names_the_importing_user_and_the_entries_it_was_read_from_in_the_order_the_rules_accept()
    {
        var answer = (await Import(FhirBundles.FullCourse("SYN-FHIR-02").Json, users.Recorder)).ShouldHave(HttpStatusCode.Created);

        // Entries: 0 Patient, 1 SD, 2 AE hand-foot, 3 Condition, 4-5 line 2, 6 relapse, 7-9 line 1, 10 PR, 11 progression,
        // 12 line 3, 13 AE nausea, 14 vital status. Recorded: enrolment, diagnosis, line starts by number, then by date
        // (a line end first on its day), death last.
        string[] expected =
        [
            "patient-enrolled entry[0]", "diagnosis-recorded entry[3]",
            "treatment-line-started entry[7], entry[8], entry[9]", "treatment-line-started entry[4], entry[5]", "treatment-line-started entry[12]",
            "adverse-event-recorded entry[13]", "treatment-line-ended entry[7], entry[8], entry[9]", "relapse-recorded entry[6]",
            "treatment-line-ended entry[4], entry[5]", "progression-recorded entry[11]", "response-assessed entry[1]",
            "adverse-event-recorded entry[2]", "response-assessed entry[10]", "follow-up-recorded entry[14]", "death-recorded entry[0]",
        ];
        var history = (await Api.Get("/api/patients/SYN-FHIR-02/history")).ShouldHave(HttpStatusCode.OK).Json.EnumerateArray().ToList();
        history.Select(e => $"{e.GetProperty("type").GetString()} {e.GetProperty("source").GetString()!.Replace("POST /api/import/fhir ", "", StringComparison.Ordinal)}")
            .ShouldBe(expected);
        history.ShouldAllBe(e => e.GetProperty("source").GetString()!.StartsWith("POST /api/import/fhir entry[", StringComparison.Ordinal));
        history.ShouldAllBe(e => e.GetProperty("recordedBy").GetString() == TestUsers.NameOf(Role.Recorder));
        history.Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, 15).Select(v => (long)v));

        // The answer lists the same events, ids included.
        answer.Json.GetProperty("facts").EnumerateArray().Select(f => f.GetProperty("eventId").GetGuid())
            .ShouldBe(history.Select(e => e.GetProperty("eventId").GetGuid()));
        var line3 = history[4].GetProperty("data");
        (line3.GetProperty("line").GetInt32(), line3.GetProperty("regimen").ValueKind, line3.GetProperty("agents")[0].GetString()).ShouldBe((3, JsonValueKind.Null, "sorafenib"));
    }

    [Fact]
    public async Task Plain_application_json_is_read_too_and_an_agent_coded_only_in_RxNorm_is_named_by_its_display()
    {
        var b = new FhirBundles("SYN-FHIR-03");
        b.Diagnosis("2019-03-01", "9040/3");
        var given = b.Line(1, "2019-04-01", null, null, null, "pazopanib")[0];
        given.Medication = new CodeableConcept(FhirTerms.RxNormSystem, FhirTerms.RxNorm["pazopanib"], "pazopanib");

        (await Import(b.Json, contentType: "application/json")).ShouldHave(HttpStatusCode.Created);

        var line = (await Api.Get("/api/patients/SYN-FHIR-03/timeline")).Json.GetProperty("treatmentLines")[0];
        line.GetProperty("agents")[0].GetString().ShouldBe("pazopanib");
        line.GetProperty("isMtki").GetBoolean().ShouldBeTrue();
    }

    public static TheoryData<string, string, string, string?> Refusals => new()
    {
        // case, the resource named, what the refusal must say, the rule (null for a reading error)
        { "not a Bundle", "body", "resourceType", null },
        { "malformed JSON", "body", "not valid JSON", null },
        { "two Patients", "Bundle", "2 Patients", null },
        { "no patient id", "entry[0] Patient/pat-1", "identifier", null },
        { "unknown RECIST code", "entry[2] Observation/resp-x", "RECIST category 'XX' is unknown", null },
        { "unknown Observation code", "entry[2] Observation/odd", "code is unknown", null },
        { "an element FHIR does not define", "entry[1] Condition/dx", "colour", null },
        { "a wrong type", "entry[1] Condition/dx", "onset", null },
        { "response on a line never started", "entry[2] Observation/resp-x", "treatment-line", "line-exists" },
        { "death before diagnosis", "entry[0] Patient/pat-1", "deceasedDateTime", "not-before-diagnosis" },
        { "line 2 before line 1", "entry[2] MedicationAdministration/line2-ifosfamide", "extension", "line-order" },
        { "fact in the future", "entry[2] Observation/prog", "effectiveDateTime", "not-in-future" },
        { "no diagnosis", "entry[1] Observation/prog", "effectiveDateTime", "diagnosis-first" },
        { "AE grade 6", "entry[2] AdverseEvent/ae", "grade must be a CTCAE grade from 1 to 5", null },
        { "a transaction, not a collection", "Bundle", "type must be collection", null },
        { "a resource about another patient", "entry[1] Condition/dx", "is not this bundle's Patient", null },
        { "a resource type the import does not read", "entry[2] Practitioner/dr", "Practitioner is not read", null },
        { "a line whose agents disagree on its start", "entry[2] MedicationAdministration/line1-doxorubicin", "differ in start", null },
        { "a partial date", "entry[2] Observation/prog", "not a full date", null },
    };

    static string BodyFor(string refusal)
    {
        var b = new FhirBundles("SYN-BAD-01");
        switch (refusal)
        {
            case "not a Bundle": return b.Patient.ToJson();
            case "malformed JSON": return b.Json[..^5];
            case "two Patients":
                b.Add(new Patient { Id = "pat-2", Identifier = [new Identifier(FhirTerms.PatientIdSystem, "SYN-BAD-02")] });
                break;
            case "no patient id":
                b.Patient.Identifier.Clear();
                b.Diagnosis("2019-03-01", "9180/3");
                break;
            case "unknown RECIST code":
                b.Diagnosis("2019-03-01", "9180/3");
                b.Response("resp-x", "2019-06-01", 1, "XX");
                b.Line(1, "2019-03-15", null, null, null, "doxorubicin");
                break;
            case "unknown Observation code":
                b.Diagnosis("2019-03-01", "9180/3");
                b.FollowUp("odd", "2019-06-01").Code = new CodeableConcept(FhirTerms.LoincSystem, "8867-4");
                break;
            case "an element FHIR does not define":
                b.Diagnosis("2019-03-01", "9180/3");
                return b.Json.Replace("\"onsetDateTime\"", "\"colour\":\"red\",\"onsetDateTime\"", StringComparison.Ordinal);
            case "a wrong type":
                b.Diagnosis("2019-03-01", "9180/3");
                return b.Json.Replace("\"onsetDateTime\":\"2019-03-01\"", "\"onsetDateTime\":20190301", StringComparison.Ordinal);
            case "response on a line never started":
                b.Diagnosis("2019-03-01", "9180/3");
                b.Response("resp-x", "2019-06-01", 7, "PR");
                b.Line(1, "2019-03-15", null, null, null, "doxorubicin");
                break;
            case "death before diagnosis":
                b.Diagnosis("2019-03-01", "9180/3");
                b.Death("2018-12-01", "disease");
                break;
            case "line 2 before line 1":
                b.Diagnosis("2019-03-01", "9180/3");
                b.Line(2, "2019-03-15", null, null, null, "ifosfamide");
                break;
            case "fact in the future":
                b.Diagnosis("2019-03-01", "9180/3");
                b.DiseaseEvent("prog", "2999-01-01", "progression");
                break;
            case "no diagnosis":
                b.DiseaseEvent("prog", "2020-01-01", "progression");
                break;
            case "AE grade 6":
                b.Diagnosis("2019-03-01", "9180/3");
                b.AdverseEvent("ae", "2019-06-01", null, "Nausea", 6);
                break;
            case "a transaction, not a collection":
                b.Diagnosis("2019-03-01", "9180/3");
                b.Bundle.Type = Bundle.BundleType.Transaction;
                break;
            case "a resource about another patient":
                b.Diagnosis("2019-03-01", "9180/3").Subject = new ResourceReference("Patient/someone-else");
                break;
            case "a resource type the import does not read":
                b.Diagnosis("2019-03-01", "9180/3");
                b.Add(new Practitioner { Id = "dr" });
                break;
            case "a line whose agents disagree on its start":
                b.Diagnosis("2019-03-01", "9180/3");
                var agents = b.Line(1, "2019-03-15", null, null, "AP", "doxorubicin", "cisplatin");
                agents[1].Effective = new Period { Start = "2019-03-16" };
                break;
            case "a partial date":
                b.Diagnosis("2019-03-01", "9180/3");
                b.DiseaseEvent("prog", "2020-01", "progression");
                break;
            default: throw new ArgumentException(refusal);
        }
        return b.Json;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_bundle_is_a_400_naming_the_resource_and_writes_nothing(string refusal, string resource, string says, string? rule)
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var before = await EventsInStore();

        var answer = await Import(BodyFor(refusal));
        output.WriteLine(answer.Body);

        answer.ShouldBeProblem(HttpStatusCode.BadRequest, resource);
        answer.Body.ShouldContain(says, Case.Sensitive, $"{refusal}: {answer.Body}");
        if (rule is not null)
        {
            answer.Json.GetProperty("rule").GetString().ShouldBe(rule, answer.Body);
            answer.Json.GetProperty("type").GetString().ShouldBe($"urn:timeline:rule:{rule}");
            answer.Json.GetProperty("resource").GetString().ShouldBe(resource);
        }
        (await EventsInStore()).ShouldBe(before, $"{refusal} must write nothing");
        (await Api.Get("/api/patients/SYN-BAD-01/timeline")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_patient_that_already_exists_is_a_409_and_nothing_is_added_to_it()
    {
        var json = FhirBundles.FullCourse("SYN-FHIR-04").Json;
        (await Import(json)).ShouldHave(HttpStatusCode.Created);
        var before = await EventsInStore();

        (await Import(json)).ShouldBeProblem(HttpStatusCode.Conflict, "patientId");

        (await EventsInStore()).ShouldBe(before);
        (await Api.VersionOf("SYN-FHIR-04")).ShouldBe(15);
    }

    [Theory]
    [InlineData(Role.Auditor)]
    [InlineData(Role.Analyst)]
    [InlineData(Role.Investigator)]
    public async Task Only_recorders_and_admins_may_import_and_a_refused_caller_writes_nothing(Role role)
    {
        var json = FhirBundles.FullCourse("SYN-FHIR-05").Json;
        var before = await EventsInStore();

        (await Import(json, users.TokenOf(role))).ShouldHave(HttpStatusCode.Forbidden);
        (await EventsInStore()).ShouldBe(before);

        (await Import(json, users.Recorder)).ShouldHave(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_retry_with_the_same_Idempotency_Key_gets_the_first_answer_and_records_nothing_more()
    {
        var json = FhirBundles.FullCourse("SYN-FHIR-06").Json;
        var first = (await Import(json, idempotencyKey: "fhir-import-1")).ShouldHave(HttpStatusCode.Created);
        var events = await EventsInStore();

        var again = (await Import(json, idempotencyKey: "fhir-import-1")).ShouldHave(HttpStatusCode.Created);

        again.Body.ShouldBe(first.Body);
        (again.ETag, again.Location).ShouldBe((first.ETag, first.Location));
        (await EventsInStore()).ShouldBe(events);
    }

    [Fact]
    public async Task A_bundle_larger_than_the_limit_is_a_413_and_one_larger_than_a_recording_body_is_read()
    {
        var b = FhirBundles.FullCourse("SYN-FHIR-07");
        // 250 follow-ups: a long record, past the 64 KiB of a recording body.
        for (var i = 0; i < 250; i++) b.FollowUp($"fu-{i}", new DateOnly(2020, 12, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var json = b.Json;
        Encoding.UTF8.GetByteCount(json).ShouldBeGreaterThan((int)AccessPolicy.MaxBodyBytes);
        (await Import(json)).ShouldHave(HttpStatusCode.Created).Json.GetProperty("events").GetInt32().ShouldBe(265);

        var before = await EventsInStore();
        var huge = json.Replace("\"Nausea\"", "\"" + new string('x', (int)FhirImport.MaxBodyBytes) + "\"", StringComparison.Ordinal);
        (await Import(huge)).Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await EventsInStore()).ShouldBe(before);
    }
}
