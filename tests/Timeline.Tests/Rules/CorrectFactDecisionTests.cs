using System.Text.Json;
using Timeline.Hosting;
using Timeline.Projections.Events;
using Timeline.Recording;
using Timeline.Tests.Patients;
using static Timeline.Tests.Patients.TestDates;

namespace Timeline.Tests.Rules;

/// <summary>
/// A correction decided against a chart (CorrectFactEndpoint.Decide): which fact it may name, and its
/// replacement or retraction checked by the clinical rules, with the refusal naming the request field.
/// </summary>
public class CorrectFactDecisionTests
{
    const string Reason = "Date copied from the wrong clinic letter";
    static readonly DateOnly Today = D("2024-06-30");
    static readonly JsonSerializerOptions Json = CreateJson();

    static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        TimelineServices.ConfigureJson(options);
        return options;
    }

    /// <summary>Enrolled, diagnosed, lines 1 and 2 started, a progression on line 2.</summary>
    static ChartBuilder Patient() => new ChartBuilder()
        .Enrol(D("2005-03-01"))
        .Diagnose(D("2018-01-10"))
        .StartLine(1, D("2018-02-01"), "doxorubicin", "cisplatin")
        .StartLine(2, D("2019-02-01"), "ifosfamide", "etoposide")
        .Progress(D("2019-08-01"));

    static JsonElement Body(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    static Decision Replace(ChartBuilder built, Guid eventId, string json) =>
        CorrectFactEndpoint.Decide(built.Chart, eventId, Reason, Body(json), Json, Today);

    static Decision Retract(ChartBuilder built, Guid eventId) =>
        CorrectFactEndpoint.Decide(built.Chart, eventId, Reason, null, Json, Today);

    // ---- which fact a correction may name ------------------------------------------------------------

    [Fact]
    public void An_unknown_event_id_is_refused()
    {
        var (field, rule, message) = Retract(Patient(), Guid.NewGuid()).ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", (string?)null));
        message.ShouldContain("No fact with id");
        message.ShouldContain("SARC-001");
    }

    [Fact]
    public void Retracting_an_already_retracted_fact_is_refused()
    {
        var built = Patient();
        var progression = built.IdOf<ProgressionRecorded>();
        built.Retract(progression);
        var (field, rule, message) = Retract(built, progression).ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", (string?)null));
        message.ShouldContain("already retracted");
    }

    [Fact]
    public void Replacing_an_already_retracted_fact_is_refused()
    {
        var built = Patient();
        var progression = built.IdOf<ProgressionRecorded>();
        built.Retract(progression);
        var (field, _, message) = Replace(built, progression, """{"date":"2019-09-01"}""").ShouldBeRefused();
        field.ShouldBe("eventId");
        message.ShouldContain("already retracted");
    }

    [Fact]
    public void Retracting_the_enrolment_is_refused()
    {
        var built = Patient();
        var (field, rule, message) = Retract(built, built.EnrolmentId).ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", (string?)null));
        message.ShouldContain("enrolment cannot be retracted");
    }

    [Fact]
    public void Correcting_the_enrolment_with_a_replacement_is_accepted()
    {
        var built = Patient();
        var corrected = Replace(built, built.EnrolmentId, """{"birthDate":"2005-04-01","sex":"male"}""").ShouldAppend<FactCorrected>();
        corrected.ShouldBe(new FactCorrected(built.EnrolmentId, Reason, new PatientEnrolled(D("2005-04-01"), Sex.Male)));
    }

    [Fact]
    public void A_replacement_enrolment_cannot_move_the_fact_to_another_patient()
    {
        var built = Patient();
        var (field, _, _) = Replace(built, built.EnrolmentId, """{"patientId":"SARC-002","birthDate":"2005-04-01","sex":"male"}""")
            .ShouldBeRefused();
        field.ShouldBe("replacement.patientId");
    }

    [Fact]
    public void Correcting_a_correction_event_is_refused()
    {
        var built = Patient();
        built.Correct(built.IdOf<ProgressionRecorded>(), new ProgressionRecorded(D("2019-08-15")));
        var (field, rule, message) = Replace(built, built.LastId, """{"date":"2019-09-01"}""").ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", (string?)null));
        message.ShouldContain("itself a correction");
    }

    [Fact]
    public void Retracting_a_retraction_event_is_refused()
    {
        var built = Patient();
        built.Retract(built.IdOf<ProgressionRecorded>());
        var (field, rule, message) = Retract(built, built.LastId).ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", (string?)null));
        message.ShouldContain("itself a correction");
    }

    [Fact]
    public void A_fact_already_corrected_can_be_corrected_again()
    {
        var built = Patient();
        var progression = built.IdOf<ProgressionRecorded>();
        built.Correct(progression, new ProgressionRecorded(D("2019-08-15")));
        Replace(built, progression, """{"date":"2019-08-20"}""").ShouldAppend<FactCorrected>()
            .ShouldBe(new FactCorrected(progression, Reason, new ProgressionRecorded(D("2019-08-20"))));
    }

    // ---- replacements ----------------------------------------------------------------------------------

    [Fact]
    public void Moving_a_progression_later_appends_the_correction()
    {
        var built = Patient();
        var progression = built.IdOf<ProgressionRecorded>();
        Replace(built, progression, """{"date":"2019-10-01"}""").ShouldAppend<FactCorrected>()
            .ShouldBe(new FactCorrected(progression, Reason, new ProgressionRecorded(D("2019-10-01"))));
    }

    [Fact]
    public void Moving_line_one_start_after_line_two_start_is_refused_on_the_replacement_field()
    {
        var built = Patient();
        var (field, rule, _) = Replace(built, built.LineStartId(1), """{"line":1,"startDate":"2019-02-02","agents":["doxorubicin"]}""")
            .ShouldBeRefused();
        (field, rule).ShouldBe(("replacement.startDate", "line-order"));
    }

    [Fact]
    public void A_line_end_corrected_before_its_start_is_refused()
    {
        var built = Patient().EndLine(2, D("2019-08-01"), LineEndReason.Progression);
        var (field, rule, _) = Replace(built, built.LineEndId(2), """{"line":2,"date":"2019-01-31","reason":"progression"}""")
            .ShouldBeRefused();
        (field, rule).ShouldBe(("replacement.date", "end-after-start"));
    }

    [Fact]
    public void A_replacement_dated_in_the_future_is_refused()
    {
        var built = Patient();
        var (field, rule, _) = Replace(built, built.IdOf<ProgressionRecorded>(), """{"date":"2024-07-01"}""").ShouldBeRefused();
        (field, rule).ShouldBe(("replacement.date", "not-in-future"));
    }

    [Fact]
    public void A_replacement_missing_a_required_field_is_refused_by_shape_before_any_rule()
    {
        var built = Patient();
        var (field, rule, _) = Replace(built, built.IdOf<ProgressionRecorded>(), """{"date":null}""").ShouldBeRefused();
        (field, rule).ShouldBe(("replacement.date", (string?)null));
    }

    [Fact]
    public void A_replacement_with_a_malformed_date_names_the_field()
    {
        var built = Patient();
        var (field, rule, _) = Replace(built, built.IdOf<ProgressionRecorded>(), """{"date":"01/08/2019"}""").ShouldBeRefused();
        (field, rule).ShouldBe(("replacement.date", (string?)null));
    }

    [Fact]
    public void A_replacement_reads_the_original_route_body_with_its_vocabulary()
    {
        var built = Patient().Assess(2, D("2019-05-01"), RecistCategory.SD);
        Replace(built, built.LastId, """{"date":"2019-05-02","line":2,"category":"PR"}""").ShouldAppend<FactCorrected>()
            .Replacement.ShouldBe(new ResponseAssessed(D("2019-05-02"), 2, RecistCategory.PR));
    }

    // ---- retractions -----------------------------------------------------------------------------------

    [Fact]
    public void Retracting_line_one_start_while_line_two_exists_is_refused()
    {
        var built = Patient();
        var (field, rule, _) = Retract(built, built.LineStartId(1)).ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", "line-order"));
    }

    [Fact]
    public void Retracting_the_diagnosis_is_refused_while_facts_depend_on_it()
    {
        var built = Patient();
        var (field, rule, _) = Retract(built, built.DiagnosisId).ShouldBeRefused();
        (field, rule).ShouldBe(("eventId", "diagnosis-first"));
    }

    [Fact]
    public void Retracting_a_progression_appends_the_retraction()
    {
        var built = Patient();
        var progression = built.IdOf<ProgressionRecorded>();
        Retract(built, progression).ShouldAppend<FactRetracted>().ShouldBe(new FactRetracted(progression, Reason));
    }
}
