using System.Net;
using System.Text.Json;
using Timeline.Tests.Api;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16, the input rows: ids with a final newline, ICD-O-3 codes in other scripts' digits, invisible and
/// direction-changing characters in texts, duplicate keys, numbers typed as strings and malformed JSON. Each is a
/// 400 problem naming the field, through the route and through the import, and nothing is written.
/// </summary>
public sealed class HostileInputTests(ApiFixture fixture) : ApiTest(fixture)
{
    static string Line(string id, string type, object body) => JsonSerializer.Serialize(new { patientId = id, type, body }, JsonSerializerOptions.Web);

    async Task ShouldHaveNoPatients() => (await Api.Get("/api/patients")).ShouldHave(HttpStatusCode.OK).Json.GetArrayLength().ShouldBe(0);

    [Theory]
    [InlineData("INJ-1\n")]
    [InlineData("INJ-1\r\n")]
    [InlineData("INJ-\u0661")] // ARABIC-INDIC DIGIT ONE
    [InlineData("INJ-\uFF11")] // FULLWIDTH DIGIT ONE
    public async Task A_patient_id_must_match_the_rule_as_a_whole_on_the_route_and_in_the_import(string patientId)
    {
        (await Api.Post("/api/patients", new { patientId, birthDate = "2006-04-12", sex = "female" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "patientId");

        var import = (await Api.PostRaw("/api/import", Line(patientId, "enrolment", new { birthDate = "2006-04-12", sex = "female" }) + "\n"))
            .ShouldHave(HttpStatusCode.OK).Json;
        import.GetProperty("patientsImported").GetInt32().ShouldBe(0);
        import.GetProperty("refused")[0].GetProperty("reason").GetString()!.ShouldContain("patientId");
        await ShouldHaveNoPatients();
    }

    [Theory]
    [InlineData("\uFF19\uFF11\uFF18\uFF10/3")] // fullwidth 9180/3
    [InlineData("\u0669\u0661\u0668\u0660/3")] // Arabic-Indic 9180/3
    [InlineData("9180/\uFF13")]
    public async Task An_icd_o_3_code_takes_ascii_digits_only(string histology)
    {
        await Api.WithEnrolledPatient("OSC-001");
        (await Api.Post("/api/patients/OSC-001/diagnosis", new { date = "2019-03-01", histology }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "histology");
        (await Api.VersionOf("OSC-001")).ShouldBe(1);
    }

    [Theory]
    [InlineData("femur\u202E")] // RIGHT-TO-LEFT OVERRIDE
    [InlineData("fe\u200Bmur")] // ZERO WIDTH SPACE
    [InlineData("\uFEFFfemur")] // BYTE ORDER MARK
    [InlineData("femur\u2028tibia")] // LINE SEPARATOR
    [InlineData("femur\u2029")] // PARAGRAPH SEPARATOR
    [InlineData("femur\U000E0041")] // TAG LATIN CAPITAL LETTER A (Cf beyond the basic plane)
    public async Task Invisible_and_direction_changing_characters_are_refused_in_every_text_route_and_import_alike(string text)
    {
        await Api.WithEnrolledPatient("OSC-001");
        (await Api.Post("/api/patients/OSC-001/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = text }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "primarySite");
        (await Api.Post("/api/patients/OSC-001/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "femur" }))
            .ShouldHave(HttpStatusCode.OK);
        (await Api.Post("/api/patients/OSC-001/treatment-lines", new { line = 1, startDate = "2019-03-15", regimen = text, agents = new[] { "sorafenib" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "regimen");
        (await Api.Post("/api/patients/OSC-001/treatment-lines", new { line = 1, startDate = "2019-03-15", agents = new[] { text } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "agents[0]");
        (await Api.Post("/api/patients/OSC-001/adverse-events", new { date = "2019-04-01", term = text, grade = 2 }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "term");
        (await Api.VersionOf("OSC-001")).ShouldBe(2);

        var import = (await Api.PostRaw("/api/import", string.Join("\n",
            Line("IMP-1", "enrolment", new { birthDate = "2006-04-12", sex = "female" }),
            Line("IMP-1", "diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = text })) + "\n"))
            .ShouldHave(HttpStatusCode.OK).Json;
        import.GetProperty("patientsImported").GetInt32().ShouldBe(0);
        import.GetProperty("refused")[0].GetProperty("reason").GetString()!.ShouldContain("primarySite");
        (await Api.Get("/api/patients/IMP-1/timeline")).ShouldHave(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ordinary_accents_and_other_scripts_stay_welcome_in_texts()
    {
        await Api.WithEnrolledPatient("OSC-001");
        (await Api.Post("/api/patients/OSC-001/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "Fémur, distal métaphysis – 股骨" }))
            .ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_given_twice_is_refused_naming_it_on_the_route_and_in_the_import()
    {
        (await Api.PostRaw("/api/patients", """{"patientId":"DUP-1","birthDate":"2006-04-12","sex":"female","sex":"male"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "sex");
        var import = (await Api.PostRaw("/api/import",
            """{"patientId":"DUP-2","type":"enrolment","body":{"birthDate":"2006-04-12","birthDate":"2001-01-01","sex":"female"}}""" + "\n"))
            .ShouldHave(HttpStatusCode.OK).Json;
        import.GetProperty("patientsImported").GetInt32().ShouldBe(0);
        await ShouldHaveNoPatients();
    }

    [Fact]
    public async Task A_number_typed_as_a_string_is_refused_naming_the_field()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        (await Api.PostRaw("/api/patients/OSC-001/treatment-lines", """{"line":"1","startDate":"2019-03-15","agents":["sorafenib"]}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "line");
        (await Api.PostRaw("/api/patients/OSC-001/adverse-events", """{"date":"2019-04-01","term":"Fatigue","grade":"2"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "grade");
        (await Api.VersionOf("OSC-001")).ShouldBe(2);
    }

    [Theory]
    [InlineData("/api/patients", """{"patientId":"X1","birthDate":"2006-04-12",""")]
    [InlineData("/api/patients", """[1,2]""")]
    [InlineData("/api/patients", """{"patientId":"X1","birthDate":12}""")]
    [InlineData("/api/patients/OSC-001/corrections", """{"eventId":"x","reason":"typo","retract":true}""")]
    [InlineData("/api/patients/OSC-001/treatment-lines", """{"line":1,"startDate":"2019-03-15","agents":"sorafenib"}""")]
    public async Task Malformed_json_is_answered_in_the_apps_own_problem_shape_without_type_names(string route, string body)
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var answer = await Api.PostRaw(route, body);
        answer.ShouldHave(HttpStatusCode.BadRequest);
        answer.ContentType.ShouldBe("application/problem+json");
        answer.Json.GetProperty("title").GetString().ShouldBe("The request is invalid.");
        answer.Json.TryGetProperty("errors", out _).ShouldBeTrue(answer.Body);
        answer.Body.ShouldNotContain("Timeline.");
        answer.Body.ShouldNotContain("System.");
        (await Api.VersionOf("OSC-001")).ShouldBe(2);
    }
}
