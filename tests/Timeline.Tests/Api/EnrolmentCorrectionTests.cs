using System.Net;

namespace Timeline.Tests.Api;

/// <summary>
/// The enrolment (birth date, sex) corrected through the corrections route, as the patient page's history does: the
/// replacement obeys the same rules as an enrolment in place (no birth date after a recorded fact), and an enrolment
/// is never retracted.
/// </summary>
public sealed class EnrolmentCorrectionTests(ApiFixture fixture) : ApiTest(fixture)
{
    static Guid EnrolmentOf(Answer history) => history.Json.EnumerateArray()
        .Single(e => e.GetProperty("data").GetProperty("kind").GetString() == "enrolment").GetProperty("eventId").GetGuid();

    [Fact]
    public async Task A_corrected_birth_date_and_sex_show_in_the_timeline_and_the_history_keeps_the_original()
    {
        await Api.WithDiagnosedPatient("OSC-001"); // born 2006-04-12, female; diagnosed 2019-03-01
        var enrolment = EnrolmentOf(await Api.Get("/api/patients/OSC-001/history"));

        var answer = await Api.Post("/api/patients/OSC-001/corrections", new
        {
            eventId = enrolment,
            reason = "Birth date transposed from the referral letter",
            replacement = new { birthDate = "2006-12-04", sex = "male" },
        }, ifMatch: "\"2\"");
        answer.ShouldHave(HttpStatusCode.OK);
        answer.ETag.ShouldBe("\"3\"");

        var demographics = (await Api.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("demographics");
        demographics.GetProperty("birthDate").GetString().ShouldBe("2006-12-04");
        demographics.GetProperty("sex").GetString().ShouldBe("male");
        demographics.GetProperty("corrected").GetBoolean().ShouldBeTrue();

        var history = (await Api.Get("/api/patients/OSC-001/history")).Json.EnumerateArray().ToList();
        history.Count.ShouldBe(3);
        var original = history.Single(e => e.GetProperty("eventId").GetGuid() == enrolment);
        original.GetProperty("status").GetString().ShouldBe("corrected");
        original.GetProperty("data").GetProperty("birthDate").GetString().ShouldBe("2006-04-12");
        original.GetProperty("data").GetProperty("sex").GetString().ShouldBe("female");
        var correction = history[^1];
        correction.GetProperty("type").GetString().ShouldBe("fact-corrected");
        correction.GetProperty("correction").GetProperty("eventId").GetGuid().ShouldBe(enrolment);
        correction.GetProperty("correction").GetProperty("reason").GetString().ShouldBe("Birth date transposed from the referral letter");
        correction.GetProperty("data").GetProperty("replacement").GetProperty("birthDate").GetString().ShouldBe("2006-12-04");
        correction.GetProperty("data").GetProperty("replacement").GetProperty("sex").GetString().ShouldBe("male");
    }

    [Fact]
    public async Task A_birth_date_after_the_diagnosis_a_future_one_and_a_retraction_are_refused_and_write_nothing()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var enrolment = EnrolmentOf(await Api.Get("/api/patients/OSC-001/history"));

        var afterDiagnosis = await Api.Post("/api/patients/OSC-001/corrections", new
        {
            eventId = enrolment, reason = "wrong", replacement = new { birthDate = "2019-03-02", sex = "female" },
        });
        afterDiagnosis.ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.birthDate");
        afterDiagnosis.Body.ShouldContain("after-birth");

        var future = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = enrolment, reason = "wrong", replacement = new { birthDate = future, sex = "female" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.birthDate");
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = enrolment, reason = "wrong", replacement = new { birthDate = "2006-04-12" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "replacement.sex");
        (await Api.Post("/api/patients/OSC-001/corrections", new { eventId = enrolment, reason = "wrong", retract = true }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "eventId");

        (await Api.VersionOf("OSC-001")).ShouldBe(2);
        var demographics = (await Api.Get("/api/patients/OSC-001/timeline")).Json.GetProperty("demographics");
        demographics.GetProperty("birthDate").GetString().ShouldBe("2006-04-12");
    }
}
