using System.Net;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Import;
using Timeline.Tests.Api;

namespace Timeline.Tests.Import;

/// <summary>POST /api/import through the app host: whole histories in, bad patients refused whole with their lines.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    static string Line(string id, string type, object body) =>
        JsonSerializer.Serialize(new { patientId = id, type, body }, JsonSerializerOptions.Web);

    /// <summary>A short, rule-abiding history: enrolment, diagnosis, line 1 with a response, its end, a follow-up.</summary>
    static IEnumerable<string> History(string id, string? badResponseLine = null) =>
    [
        Line(id, "enrolment", new { birthDate = "2006-04-12", sex = "female" }),
        Line(id, "diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "femur" }),
        Line(id, "treatment-line", new { line = 1, startDate = "2019-03-15", regimen = "MAP", agents = new[] { "methotrexate", "doxorubicin", "cisplatin" } }),
        Line(id, "response", new { date = "2019-06-01", line = badResponseLine is null ? 1 : 2, category = "PR" }),
        Line(id, "treatment-line-end", new { line = 1, date = "2019-10-01", reason = "completed" }),
        Line(id, "follow-up", new { date = "2020-01-01" }),
    ];

    static string File(params IEnumerable<string>[] parts) => string.Join("\n", parts.SelectMany(p => p)) + "\n";

    async Task<JsonElement> Import(string ndjson, HttpStatusCode expected = HttpStatusCode.OK) =>
        (await Api.PostRaw("/api/import", ndjson)).ShouldHave(expected).Json;

    static string NoIds(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id");

    static List<long> Lines(JsonElement refusal) => refusal.GetProperty("lines").EnumerateArray().Select(l => l.GetInt64()).ToList();

    [Fact]
    public async Task A_good_synthetic_file_imports_every_patient_with_its_whole_history()
    {
        using var ndjson = new MemoryStream();
        var cohort = new SyntheticCohort(seed: 3);
        await cohort.WriteAsync(ndjson, 40);

        var answer = await Import(Encoding.UTF8.GetString(ndjson.ToArray()));

        answer.GetProperty("patientsImported").GetInt32().ShouldBe(40);
        answer.GetProperty("patientsRefused").GetInt32().ShouldBe(0, answer.ToString());
        answer.GetProperty("eventsAppended").GetInt64().ShouldBe(cohort.Facts);
        answer.GetProperty("refused").GetArrayLength().ShouldBe(0);
        answer.GetProperty("elapsedMs").GetInt64().ShouldBeGreaterThanOrEqualTo(0);

        var patients = (await Api.Get("/api/patients")).ShouldHave(HttpStatusCode.OK).Json;
        patients.GetArrayLength().ShouldBe(40);
        patients.EnumerateArray().Select(p => p.GetProperty("patientId").GetString()).ShouldAllBe(id => id!.StartsWith("SYN-"));
        var facts = Encoding.UTF8.GetString(ndjson.ToArray()).Split('\n').Count(l => l.Contains("\"SYN-000007\"", StringComparison.Ordinal));
        var timeline = (await Api.Get("/api/patients/SYN-000007/timeline")).ShouldHave(HttpStatusCode.OK).Json;
        timeline.GetProperty("version").GetInt64().ShouldBe(facts);
        var history = (await Api.Get("/api/patients/SYN-000007/history")).ShouldHave(HttpStatusCode.OK).Json;
        history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, facts).Select(v => (long)v));
        history.EnumerateArray().ShouldAllBe(e => e.GetProperty("recordedBy").GetString() == ApiFixture.User);
        // Each imported fact names the line it was read from.
        var lines = Encoding.UTF8.GetString(ndjson.ToArray()).Split('\n').Select((l, i) => (Line: i + 1, Text: l))
            .Where(l => l.Text.Contains("\"SYN-000007\"", StringComparison.Ordinal)).Select(l => $"POST /api/import line {l.Line}");
        history.EnumerateArray().Select(e => e.GetProperty("source").GetString()).ShouldBe(lines);
        // The chart kept inline is the one the stream replays to.
        patients.EnumerateArray().Single(p => p.GetProperty("patientId").GetString() == "SYN-000007").GetProperty("version").GetInt64().ShouldBe(facts);
    }

    [Fact]
    public async Task A_patient_with_a_broken_rule_is_refused_whole_with_its_lines_and_the_others_are_imported()
    {
        var answer = await Import(File(History("OSC-001"), History("OSC-002", badResponseLine: "2"), History("OSC-003")));

        answer.GetProperty("patientsImported").GetInt32().ShouldBe(2);
        answer.GetProperty("patientsRefused").GetInt32().ShouldBe(1);
        answer.GetProperty("eventsAppended").GetInt64().ShouldBe(12);
        var refused = answer.GetProperty("refused").EnumerateArray().Single();
        refused.GetProperty("patientId").GetString().ShouldBe("OSC-002");
        Lines(refused).ShouldBe([7L, 8, 9, 10, 11, 12]);
        refused.GetProperty("reason").GetString()!.ShouldContain("line 10 (response)");
        refused.GetProperty("reason").GetString()!.ShouldContain("line-exists");

        (await Api.Get("/api/patients/OSC-002/timeline")).ShouldHave(HttpStatusCode.NotFound);
        (await Api.Get("/api/patients/OSC-001/timeline")).ShouldHave(HttpStatusCode.OK).Json.GetProperty("version").GetInt64().ShouldBe(6);
        (await Api.Get("/api/patients/OSC-003/timeline")).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_patient_that_already_exists_is_refused_and_left_as_it_was()
    {
        await Api.WithEnrolledPatient("OSC-001");

        var answer = await Import(File(History("OSC-001"), History("OSC-002")));

        answer.GetProperty("patientsImported").GetInt32().ShouldBe(1);
        var refused = answer.GetProperty("refused").EnumerateArray().Single();
        refused.GetProperty("patientId").GetString().ShouldBe("OSC-001");
        Lines(refused).ShouldBe([1L, 2, 3, 4, 5, 6]);
        refused.GetProperty("reason").GetString()!.ShouldContain("already exists");
        (await Api.VersionOf("OSC-001")).ShouldBe(1);
        (await Api.VersionOf("OSC-002")).ShouldBe(6);

        // The same file again: both exist now, nothing more is written.
        var again = await Import(File(History("OSC-001"), History("OSC-002")));
        again.GetProperty("patientsImported").GetInt32().ShouldBe(0);
        again.GetProperty("patientsRefused").GetInt32().ShouldBe(2);
        (await Api.VersionOf("OSC-002")).ShouldBe(6);
    }

    [Fact]
    public async Task Malformed_lines_refuse_their_patient_and_blank_lines_and_flattened_bodies_are_fine()
    {
        string[] flattened =
        [
            """{"patientId":"FLAT-1","type":"enrolment","birthDate":"2001-02-03","sex":"male","synthetic":true}""",
            """{"patientId":"FLAT-1","type":"diagnosis","date":"2015-05-05","histology":"9260/3"}""",
        ];
        var ndjson = File(
            History("OK-1"),                                                                          // lines 1–6
            [Line("BADJSON-1", "enrolment", new { birthDate = "2006-04-12", sex = "female" }), "{\"patientId\":\"BADJSON-1\",\"type\":"], // 7–8
            [Line("UNKNOWN-1", "enrolment", new { birthDate = "2006-04-12", sex = "female" }), Line("UNKNOWN-1", "surgery", new { date = "2019-01-01" })], // 9–10
            [Line("FIELD-1", "enrolment", new { birthDate = "yesterday", sex = "female" })],          // 11
            ["", "   "],                                                                              // 12–13 blank
            flattened,                                                                                // 14–15
            ["not json at all"],                                                                      // 16: no patient id, joins FLAT-1's run
            [Line("NOENROL-1", "diagnosis", new { date = "2019-03-01", histology = "osteosarcoma" })], // 17
            [Line("BAD ID", "enrolment", new { birthDate = "2006-04-12", sex = "female" })]);         // 18

        var answer = await Import(ndjson);

        answer.GetProperty("patientsImported").GetInt32().ShouldBe(1, answer.ToString());
        answer.GetProperty("linesRead").GetInt64().ShouldBe(18);
        var refused = answer.GetProperty("refused").EnumerateArray().ToDictionary(r => r.GetProperty("patientId").GetString() ?? "(none)");
        Lines(refused["BADJSON-1"]).ShouldBe([7L, 8]);
        refused["BADJSON-1"].GetProperty("reason").GetString()!.ShouldContain("not valid JSON");
        Lines(refused["UNKNOWN-1"]).ShouldBe([9L, 10]);
        refused["UNKNOWN-1"].GetProperty("reason").GetString()!.ShouldContain("'surgery' is unknown");
        refused["FIELD-1"].GetProperty("reason").GetString()!.ShouldContain("birthDate");
        Lines(refused["FLAT-1"]).ShouldBe([14L, 15, 16]);
        refused["FLAT-1"].GetProperty("reason").GetString()!.ShouldContain("line 16");
        refused["NOENROL-1"].GetProperty("reason").GetString()!.ShouldContain("first fact must be its enrolment");
        refused["BAD ID"].GetProperty("reason").GetString()!.ShouldContain("patientId must be");
        (await Api.Get("/api/patients")).Json.EnumerateArray().Select(p => p.GetProperty("patientId").GetString()).ShouldBe(["OK-1"]);

        // Without the stray line, the flattened form imports.
        var flat = await Import(string.Join("\n", flattened));
        flat.GetProperty("patientsImported").GetInt32().ShouldBe(1, flat.ToString());
        (await Api.Get("/api/patients/FLAT-1/timeline")).Json.GetProperty("diagnosis").ToString().ShouldContain("9260/3");
    }

    [Fact]
    public async Task Facts_of_one_patient_scattered_through_the_file_refuse_the_later_run_and_a_second_enrolment()
    {
        var one = History("OSC-001").ToList();
        var answer = await Import(File(one.Take(4), History("OSC-002"), one.Skip(4), History("OSC-002")));

        answer.GetProperty("patientsImported").GetInt32().ShouldBe(2);
        var refused = answer.GetProperty("refused").EnumerateArray().ToList();
        refused.Count.ShouldBe(2);
        var scattered = refused.Single(r => Lines(r)[0] == 11);
        scattered.GetProperty("patientId").GetString().ShouldBe("OSC-001");
        scattered.GetProperty("reason").GetString()!.ShouldContain("contiguous");
        var twice = refused.Single(r => Lines(r)[0] == 13);
        twice.GetProperty("patientId").GetString().ShouldBe("OSC-002");
        twice.GetProperty("reason").GetString()!.ShouldContain("already enrolled at line 5");
        (await Api.VersionOf("OSC-001")).ShouldBe(4);
    }

    [Fact]
    public async Task An_empty_body_is_a_400_naming_the_body()
    {
        (await Api.PostRaw("/api/import", "")).ShouldBeProblem(HttpStatusCode.BadRequest, "body");
        (await Api.PostRaw("/api/import", "\n\n  \n")).ShouldBeProblem(HttpStatusCode.BadRequest, "body");
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task The_copy_writer_stores_what_Martens_append_stores_and_a_rebuild_agrees()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using var ndjson = new MemoryStream();
        await new SyntheticCohort(seed: 11).WriteAsync(ndjson, 25);
        var text = Encoding.UTF8.GetString(ndjson.ToArray());
        foreach (var (writer, prefix) in new[] { (ImportWriter.Copy, "CPY-"), (ImportWriter.Session, "SES-") })
        {
            var importer = new BulkImporter(store, new DateOnly(2026, 1, 1), ApiFixture.User, new ImportOptions(BatchEvents: 100, Writer: writer));
            var answer = await importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("SYN-", prefix, StringComparison.Ordinal))), default);
            answer.PatientsImported.ShouldBe(25);
        }

        var list = (await Api.Get("/api/patients")).Json.EnumerateArray().ToList();
        foreach (var n in new[] { "000001", "000013", "000025" })
        {
            string Strip(string json, string prefix) => json.Replace(prefix, "X-", StringComparison.Ordinal);
            var copied = (await Api.Get($"/api/patients/CPY-{n}/history")).Json.EnumerateArray().ToList();
            var appended = (await Api.Get($"/api/patients/SES-{n}/history")).Json.EnumerateArray().ToList();
            copied.Count.ShouldBe(appended.Count);
            for (var i = 0; i < copied.Count; i++)
                foreach (var field in new[] { "version", "type", "recordedBy", "data", "status", "source" })
                    copied[i].GetProperty(field).ToString().ShouldBe(appended[i].GetProperty(field).ToString(), field);
            var t1 = (await Api.Get($"/api/patients/CPY-{n}/timeline")).Json;
            var t2 = (await Api.Get($"/api/patients/SES-{n}/timeline")).Json;
            // Event ids are new on each path; everything else matches.
            NoIds(t1.GetProperty("treatmentLines").ToString()).ShouldBe(NoIds(t2.GetProperty("treatmentLines").ToString()));
            t1.GetProperty("version").GetInt64().ShouldBe(t2.GetProperty("version").GetInt64());
            Strip(list.Single(p => p.GetProperty("patientId").GetString() == $"CPY-{n}").ToString(), "CPY-")
                .ShouldBe(Strip(list.Single(p => p.GetProperty("patientId").GetString() == $"SES-{n}").ToString(), "SES-"));
        }

        // Rebuilding the charts from the events (copied ones included) changes none of them.
        var before = (await Api.Get("/api/patients")).Body;
        (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK);
        (await Api.Get("/api/patients")).Body.ShouldBe(before);
    }

    [Fact]
    public async Task A_patient_repeated_in_two_batches_written_at_once_is_imported_once_and_the_repeat_refused()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        // Batches of one patient each and two writers: the two copies of REP-001 are written at the same moment.
        var importer = new BulkImporter(store, new DateOnly(2026, 1, 1), ApiFixture.User, new ImportOptions(BatchEvents: 1, Writers: 2));
        var file = File(History("REP-001"), History("REP-002"), History("REP-001"), History("REP-003"));
        var answer = await importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), default);

        answer.PatientsImported.ShouldBe(3);
        var repeat = answer.Refused.ShouldHaveSingleItem();
        repeat.PatientId.ShouldBe("REP-001");
        repeat.Lines[0].ShouldBe(13);
        (await Api.VersionOf("REP-001")).ShouldBe(6);
        (await Api.Get("/api/patients/REP-001/history")).Json.GetArrayLength().ShouldBe(6);
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(3);
    }
}
