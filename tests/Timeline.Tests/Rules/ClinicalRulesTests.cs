using Timeline.Projections.Events;
using Timeline.Recording;
using Timeline.Tests.Patients;
using static Timeline.Tests.Patients.TestDates;

namespace Timeline.Tests.Rules;

/// <summary>
/// The rules a new fact must respect (DOMAIN.md, "Rules a new fact must respect"), one test per rule and
/// per edge, each naming the field and the rule the refusal must cite. Today is passed explicitly.
/// </summary>
public class ClinicalRulesTests
{
    static readonly DateOnly Today = D("2024-06-30");
    static readonly DateOnly Birth = D("2005-03-01");
    static readonly DateOnly Diagnosis = D("2018-01-10");
    static readonly DateOnly LineOneStart = D("2018-02-01");

    static ChartBuilder Enrolled() => new ChartBuilder().Enrol(Birth);

    static ChartBuilder Diagnosed() => Enrolled().Diagnose(Diagnosis);

    /// <summary>Osteosarcoma diagnosed 2018-01-10, first-line chemotherapy from 2018-02-01, still open.</summary>
    static ChartBuilder OnLineOne() => Diagnosed().StartLine(1, LineOneStart, "doxorubicin", "cisplatin", "methotrexate");

    static ChartBuilder LinesOneAndTwo() => OnLineOne().StartLine(2, D("2019-02-01"), "ifosfamide", "etoposide");

    /// <summary>A fact of each kind that <see cref="OnLineOne"/> admits when its date does.</summary>
    static ClinicalFact FactOf(string kind, DateOnly date) => kind switch
    {
        "progression" => new ProgressionRecorded(date),
        "relapse" => new RelapseRecorded(date),
        "follow-up" => new FollowUpRecorded(date),
        "response" => new ResponseAssessed(date, 1, RecistCategory.SD),
        "adverse-event" => new AdverseEventRecorded(date, 1, "Nausea", 2),
        "line-start" => new TreatmentLineStarted(2, date, null, ["ifosfamide"]),
        "line-end" => new TreatmentLineEnded(1, date, LineEndReason.Completed),
        "death" => new DeathRecorded(date, DeathCause.Disease),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such kind in this test"),
    };

    // ---- not in the future -------------------------------------------------------------------------

    [Theory]
    [InlineData("progression", "date")]
    [InlineData("relapse", "date")]
    [InlineData("follow-up", "date")]
    [InlineData("response", "date")]
    [InlineData("adverse-event", "date")]
    [InlineData("line-start", "startDate")]
    [InlineData("line-end", "date")]
    [InlineData("death", "date")]
    public void A_fact_dated_tomorrow_is_in_the_future(string kind, string field) =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, FactOf(kind, Today.AddDays(1)), Today)
            .ShouldBreak(field, "not-in-future");

    [Theory]
    [InlineData("progression")]
    [InlineData("relapse")]
    [InlineData("follow-up")]
    [InlineData("response")]
    [InlineData("adverse-event")]
    [InlineData("line-start")]
    [InlineData("line-end")]
    [InlineData("death")]
    public void A_fact_dated_today_is_admitted(string kind) =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, FactOf(kind, Today), Today).ShouldBeAdmitted();

    [Fact]
    public void The_future_is_judged_against_the_today_passed_in_not_the_clock() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new ProgressionRecorded(D("2018-06-01")), D("2018-05-31"))
            .ShouldBreak("date", "not-in-future");

    [Fact]
    public void A_birth_date_corrected_into_the_future_is_refused()
    {
        var chart = Enrolled().Chart;
        ClinicalRules.CheckReplacement(chart, 0, new PatientEnrolled(Today.AddDays(1), Sex.Female), Today)
            .ShouldBreak("birthDate", "not-in-future");
    }

    // ---- on or after the birth date -----------------------------------------------------------------

    [Theory]
    [InlineData("progression", "date")]
    [InlineData("relapse", "date")]
    [InlineData("follow-up", "date")]
    [InlineData("response", "date")]
    [InlineData("adverse-event", "date")]
    [InlineData("line-start", "startDate")]
    [InlineData("line-end", "date")]
    [InlineData("death", "date")]
    public void A_fact_dated_before_birth_is_refused(string kind, string field) =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, FactOf(kind, Birth.AddDays(-1)), Today)
            .ShouldBreak(field, "after-birth");

    [Fact]
    public void A_diagnosis_the_day_before_birth_is_refused() =>
        ClinicalRules.CheckRecording(Enrolled().Chart, new DiagnosisRecorded(Birth.AddDays(-1), "9180/3", null, null), Today)
            .ShouldBreak("date", "after-birth");

    [Fact]
    public void A_diagnosis_on_the_birth_date_is_admitted() =>
        ClinicalRules.CheckRecording(Enrolled().Chart, new DiagnosisRecorded(Birth, "8900/3", null, null), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_birth_date_corrected_to_after_the_diagnosis_is_refused() =>
        ClinicalRules.CheckReplacement(OnLineOne().Chart, 0, new PatientEnrolled(Diagnosis.AddDays(1), Sex.Male), Today)
            .ShouldBreak("birthDate", "after-birth");

    [Fact]
    public void A_birth_date_corrected_to_the_diagnosis_date_is_admitted() =>
        ClinicalRules.CheckReplacement(OnLineOne().Chart, 0, new PatientEnrolled(Diagnosis, Sex.Male), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_line_start_corrected_to_before_birth_cites_the_birth_date_not_the_diagnosis()
    {
        var chart = OnLineOne().Chart;
        ClinicalRules.CheckReplacement(chart, 2, new TreatmentLineStarted(1, Birth.AddDays(-1), null, ["doxorubicin"]), Today)
            .ShouldBreak("startDate", "after-birth");
    }

    // ---- the diagnosis: once, first, and nothing before it -------------------------------------------

    [Fact]
    public void A_second_diagnosis_is_refused() =>
        ClinicalRules.CheckRecording(Diagnosed().Chart, new DiagnosisRecorded(Diagnosis, "9040/3", null, null), Today)
            .ShouldBreak("date", "diagnosis-once");

    [Fact]
    public void Correcting_the_diagnosis_is_not_a_second_diagnosis() =>
        ClinicalRules.CheckReplacement(OnLineOne().Chart, 1, new DiagnosisRecorded(Diagnosis, "9040/3", "knee", true), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_first_diagnosis_is_admitted() =>
        ClinicalRules.CheckRecording(Enrolled().Chart, new DiagnosisRecorded(Diagnosis, "9180/3", null, null), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_diagnosis_recorded_after_other_clinical_facts_is_refused()
    {
        // Unreachable through the rules (the follow-up would have been refused); a stream written some
        // other way must still not be made to look diagnosed after the fact.
        var chart = Enrolled().FollowUp(D("2018-03-01")).Chart;
        ClinicalRules.CheckRecording(chart, new DiagnosisRecorded(Diagnosis, "9180/3", null, null), Today)
            .ShouldBreak("date", "diagnosis-first");
    }

    [Theory]
    [InlineData("progression", "date")]
    [InlineData("relapse", "date")]
    [InlineData("follow-up", "date")]
    [InlineData("response", "date")]
    [InlineData("adverse-event", "date")]
    [InlineData("line-start", "startDate")]
    [InlineData("line-end", "date")]
    [InlineData("death", "date")]
    public void A_clinical_fact_without_a_diagnosis_is_refused(string kind, string field) =>
        ClinicalRules.CheckRecording(Enrolled().Chart, FactOf(kind, D("2019-01-01")), Today)
            .ShouldBreak(field, "diagnosis-first");

    [Fact]
    public void A_first_line_without_a_diagnosis_is_refused() =>
        ClinicalRules.CheckRecording(Enrolled().Chart, new TreatmentLineStarted(1, LineOneStart, null, ["doxorubicin"]), Today)
            .ShouldBreak("startDate", "diagnosis-first");

    [Theory]
    [InlineData("progression", "date")]
    [InlineData("relapse", "date")]
    [InlineData("follow-up", "date")]
    [InlineData("response", "date")]
    [InlineData("adverse-event", "date")]
    [InlineData("line-start", "startDate")]
    [InlineData("line-end", "date")]
    [InlineData("death", "date")]
    public void A_fact_dated_the_day_before_the_diagnosis_is_refused(string kind, string field) =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, FactOf(kind, Diagnosis.AddDays(-1)), Today)
            .ShouldBreak(field, "not-before-diagnosis");

    [Fact]
    public void A_fact_on_the_diagnosis_date_is_admitted() =>
        ClinicalRules.CheckRecording(Diagnosed().Chart, new TreatmentLineStarted(1, Diagnosis, null, ["vincristine"]), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_diagnosis_corrected_to_after_the_first_line_start_is_refused() =>
        ClinicalRules.CheckReplacement(OnLineOne().Chart, 1, new DiagnosisRecorded(LineOneStart.AddDays(1), "9180/3", null, null), Today)
            .ShouldBreak("date", "not-before-diagnosis");

    [Fact]
    public void A_diagnosis_corrected_to_the_first_line_start_date_is_admitted() =>
        ClinicalRules.CheckReplacement(OnLineOne().Chart, 1, new DiagnosisRecorded(LineOneStart, "9180/3", null, null), Today)
            .ShouldBeAdmitted();

    // ---- treatment lines ---------------------------------------------------------------------------

    [Fact]
    public void Line_two_before_line_one_has_started_is_refused() =>
        ClinicalRules.CheckRecording(Diagnosed().Chart, new TreatmentLineStarted(2, LineOneStart, null, ["ifosfamide"]), Today)
            .ShouldBreak("line", "line-order");

    [Fact]
    public void Line_three_after_line_one_skips_a_line_and_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineStarted(3, D("2019-02-01"), null, ["sorafenib"]), Today)
            .ShouldBreak("line", "line-order");

    [Fact]
    public void Line_two_starting_before_line_one_started_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineStarted(2, LineOneStart.AddDays(-1), null, ["ifosfamide"]), Today)
            .ShouldBreak("startDate", "line-order");

    [Fact]
    public void Line_two_starting_the_same_day_as_line_one_is_admitted() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineStarted(2, LineOneStart, null, ["ifosfamide"]), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void Line_two_starting_after_line_one_is_admitted() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineStarted(2, D("2019-02-01"), null, ["ifosfamide"]), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_line_started_twice_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineStarted(1, D("2018-03-01"), null, ["ifosfamide"]), Today)
            .ShouldBreak("line", "line-once");

    [Fact]
    public void Line_zero_is_refused() =>
        ClinicalRules.CheckRecording(Diagnosed().Chart, new TreatmentLineStarted(0, LineOneStart, null, ["doxorubicin"]), Today)
            .ShouldBreak("line", "line-order");

    [Fact]
    public void Ending_a_line_that_has_not_started_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineEnded(2, D("2018-09-01"), LineEndReason.Completed), Today)
            .ShouldBreak("line", "line-exists");

    [Fact]
    public void Ending_a_line_twice_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().EndLine(1, D("2018-09-01")).Chart,
                new TreatmentLineEnded(1, D("2018-10-01"), LineEndReason.Toxicity), Today)
            .ShouldBreak("line", "line-ends-once");

    [Fact]
    public void A_line_ending_the_day_before_it_started_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineEnded(1, LineOneStart.AddDays(-1), LineEndReason.Toxicity), Today)
            .ShouldBreak("date", "end-after-start");

    [Fact]
    public void A_line_ending_the_day_it_started_is_admitted() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new TreatmentLineEnded(1, LineOneStart, LineEndReason.Toxicity), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_response_naming_a_line_that_has_not_started_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new ResponseAssessed(D("2018-05-01"), 2, RecistCategory.PR), Today)
            .ShouldBreak("line", "line-exists");

    [Fact]
    public void A_response_naming_a_started_line_is_admitted() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new ResponseAssessed(D("2018-05-01"), 1, RecistCategory.PR), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void An_adverse_event_naming_a_line_that_has_not_started_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new AdverseEventRecorded(D("2018-05-01"), 2, "Nausea", 2), Today)
            .ShouldBreak("line", "line-exists");

    [Fact]
    public void An_adverse_event_naming_a_started_line_is_admitted() =>
        ClinicalRules.CheckRecording(OnLineOne().Chart, new AdverseEventRecorded(D("2018-05-01"), 1, "Nausea", 2), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void An_adverse_event_without_a_line_is_admitted_even_before_any_line() =>
        ClinicalRules.CheckRecording(Diagnosed().Chart, new AdverseEventRecorded(D("2018-01-20"), null, "Fracture", 3), Today)
            .ShouldBeAdmitted();

    // ---- death -------------------------------------------------------------------------------------

    static readonly DateOnly Death = D("2019-06-01");

    [Theory]
    [InlineData("progression", "date")]
    [InlineData("relapse", "date")]
    [InlineData("follow-up", "date")]
    [InlineData("response", "date")]
    [InlineData("adverse-event", "date")]
    [InlineData("line-start", "startDate")]
    [InlineData("line-end", "date")]
    public void A_fact_dated_the_day_after_death_is_refused(string kind, string field) =>
        ClinicalRules.CheckRecording(OnLineOne().Die(Death).Chart, FactOf(kind, Death.AddDays(1)), Today)
            .ShouldBreak(field, "nothing-after-death");

    [Theory]
    [InlineData("progression")]
    [InlineData("relapse")]
    [InlineData("follow-up")]
    [InlineData("response")]
    [InlineData("adverse-event")]
    [InlineData("line-start")]
    [InlineData("line-end")]
    public void A_fact_dated_the_day_of_death_is_admitted(string kind) =>
        ClinicalRules.CheckRecording(OnLineOne().Die(Death).Chart, FactOf(kind, Death), Today).ShouldBeAdmitted();

    [Theory]
    [InlineData("2019-05-01")]
    [InlineData("2019-06-01")]
    [InlineData("2019-07-01")]
    public void A_second_death_is_refused_whatever_its_date(string date) =>
        ClinicalRules.CheckRecording(OnLineOne().Die(Death).Chart, new DeathRecorded(D(date), DeathCause.Unknown), Today)
            .ShouldBreak("date", "death-once");

    [Fact]
    public void A_death_dated_before_a_recorded_follow_up_is_refused() =>
        ClinicalRules.CheckRecording(OnLineOne().FollowUp(D("2019-05-01")).Chart, new DeathRecorded(D("2019-04-30"), DeathCause.Disease), Today)
            .ShouldBreak("date", "nothing-after-death");

    [Fact]
    public void A_death_dated_before_the_start_of_a_recorded_line_is_refused() =>
        ClinicalRules.CheckRecording(LinesOneAndTwo().Chart, new DeathRecorded(D("2019-01-31"), DeathCause.Disease), Today)
            .ShouldBreak("date", "nothing-after-death");

    [Fact]
    public void A_death_on_the_day_of_the_latest_fact_is_admitted() =>
        ClinicalRules.CheckRecording(OnLineOne().FollowUp(D("2019-05-01")).Chart, new DeathRecorded(D("2019-05-01"), DeathCause.Disease), Today)
            .ShouldBeAdmitted();

    [Fact]
    public void A_death_corrected_to_a_later_date_is_not_a_second_death()
    {
        var chart = OnLineOne().Die(Death).Chart;
        ClinicalRules.CheckReplacement(chart, 3, new DeathRecorded(Death.AddDays(3), DeathCause.Treatment), Today)
            .ShouldBeAdmitted();
    }

    [Fact]
    public void A_death_corrected_to_before_a_recorded_fact_is_refused()
    {
        var chart = OnLineOne().FollowUp(D("2019-05-01")).Die(Death).Chart;
        ClinicalRules.CheckReplacement(chart, 4, new DeathRecorded(D("2019-04-30"), DeathCause.Disease), Today)
            .ShouldBreak("date", "nothing-after-death");
    }

    // ---- corrections: the replacement is checked in the original's place ------------------------------

    [Fact]
    public void Moving_line_one_start_after_line_two_start_is_refused()
    {
        var built = LinesOneAndTwo();
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LineStartId(1)),
                new TreatmentLineStarted(1, D("2019-02-02"), null, ["doxorubicin"]), Today)
            .ShouldBreak("startDate", "line-order");
    }

    [Fact]
    public void Moving_line_one_start_onto_line_two_start_is_admitted()
    {
        var built = LinesOneAndTwo();
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LineStartId(1)),
                new TreatmentLineStarted(1, D("2019-02-01"), null, ["doxorubicin"]), Today)
            .ShouldBeAdmitted();
    }

    [Fact]
    public void Moving_line_two_start_before_line_one_start_is_refused()
    {
        var built = LinesOneAndTwo();
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LineStartId(2)),
                new TreatmentLineStarted(2, LineOneStart.AddDays(-1), null, ["ifosfamide"]), Today)
            .ShouldBreak("startDate", "line-order");
    }

    [Fact]
    public void Moving_a_line_start_after_its_recorded_end_is_refused()
    {
        var built = OnLineOne().EndLine(1, D("2018-09-01"));
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LineStartId(1)),
                new TreatmentLineStarted(1, D("2018-09-02"), null, ["doxorubicin"]), Today)
            .ShouldBreak("startDate", "end-after-start");
    }

    [Fact]
    public void Moving_a_line_end_before_its_start_is_refused()
    {
        var built = OnLineOne().EndLine(1, D("2018-09-01"));
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LineEndId(1)),
                new TreatmentLineEnded(1, LineOneStart.AddDays(-1), LineEndReason.Completed), Today)
            .ShouldBreak("date", "end-after-start");
    }

    [Fact]
    public void Renumbering_line_two_to_line_four_is_refused()
    {
        var built = LinesOneAndTwo();
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LineStartId(2)),
                new TreatmentLineStarted(4, D("2019-02-01"), null, ["ifosfamide"]), Today)
            .ShouldBreak("line", "line-order");
    }

    [Fact]
    public void A_response_corrected_to_name_a_line_that_has_not_started_is_refused()
    {
        var built = OnLineOne().Assess(1, D("2018-05-01"), RecistCategory.PR);
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LastId), new ResponseAssessed(D("2018-05-01"), 9, RecistCategory.PR), Today)
            .ShouldBreak("line", "line-exists");
    }

    [Fact]
    public void Moving_a_progression_later_is_admitted()
    {
        var built = LinesOneAndTwo().Progress(D("2019-03-01"));
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LastId), new ProgressionRecorded(D("2019-09-01")), Today)
            .ShouldBeAdmitted();
    }

    [Fact]
    public void Moving_a_progression_after_the_death_is_refused()
    {
        var built = OnLineOne().Progress(D("2019-03-01")).Die(Death);
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.IdOf<ProgressionRecorded>()), new ProgressionRecorded(Death.AddDays(1)), Today)
            .ShouldBreak("date", "nothing-after-death");
    }

    [Fact]
    public void Moving_a_progression_into_the_future_is_refused()
    {
        var built = OnLineOne().Progress(D("2019-03-01"));
        var chart = built.Chart;
        ClinicalRules.CheckReplacement(chart, chart.IndexOf(built.LastId), new ProgressionRecorded(Today.AddDays(1)), Today)
            .ShouldBreak("date", "not-in-future");
    }

    // ---- retractions: every remaining fact must still hold ----------------------------------------------

    [Fact]
    public void Retracting_line_one_start_while_line_two_exists_is_refused()
    {
        var built = LinesOneAndTwo();
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.LineStartId(1)), Today).ShouldBreak("eventId", "line-order");
    }

    [Fact]
    public void Retracting_a_line_start_that_a_response_names_is_refused()
    {
        var built = OnLineOne().Assess(1, D("2018-05-01"), RecistCategory.SD);
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.LineStartId(1)), Today).ShouldBreak("eventId", "line-exists");
    }

    [Fact]
    public void Retracting_a_line_start_that_an_end_names_is_refused()
    {
        var built = OnLineOne().EndLine(1, D("2018-09-01"));
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.LineStartId(1)), Today).ShouldBreak("eventId", "line-exists");
    }

    [Fact]
    public void Retracting_the_last_line_start_that_nothing_names_is_admitted()
    {
        var built = LinesOneAndTwo();
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.LineStartId(2)), Today).ShouldBeAdmitted();
    }

    [Fact]
    public void Retracting_the_diagnosis_under_later_facts_is_refused()
    {
        var built = OnLineOne();
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.DiagnosisId), Today).ShouldBreak("eventId", "diagnosis-first");
    }

    [Fact]
    public void Retracting_a_diagnosis_nothing_depends_on_is_admitted()
    {
        var built = Diagnosed();
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.DiagnosisId), Today).ShouldBeAdmitted();
    }

    [Fact]
    public void Retracting_a_progression_is_admitted()
    {
        var built = LinesOneAndTwo().Progress(D("2019-03-01")).FollowUp(D("2019-04-01"));
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.IdOf<ProgressionRecorded>()), Today).ShouldBeAdmitted();
    }

    [Fact]
    public void Retracting_a_death_is_admitted()
    {
        var built = OnLineOne().Die(Death);
        var chart = built.Chart;
        ClinicalRules.CheckRetraction(chart, chart.IndexOf(built.DeathId), Today).ShouldBeAdmitted();
    }

    [Fact]
    public void The_rules_read_the_chart_with_corrections_applied()
    {
        // Line 1 was recorded as starting 2018-02-01 and corrected to 2018-03-01: line 2 may not start between.
        var built = OnLineOne();
        built.Correct(built.LineStartId(1), new TreatmentLineStarted(1, D("2018-03-01"), null, ["doxorubicin"]));
        ClinicalRules.CheckRecording(built.Chart, new TreatmentLineStarted(2, D("2018-02-15"), null, ["ifosfamide"]), Today)
            .ShouldBreak("startDate", "line-order");
    }

    [Fact]
    public void The_rules_read_the_chart_with_retractions_applied()
    {
        // The only death was retracted: a follow-up after its date is now admissible, and so is a new death.
        var built = OnLineOne().Die(Death);
        built.Retract(built.DeathId);
        ClinicalRules.CheckRecording(built.Chart, new FollowUpRecorded(Death.AddDays(30)), Today).ShouldBeAdmitted();
        ClinicalRules.CheckRecording(built.Chart, new DeathRecorded(Death.AddDays(30), DeathCause.Disease), Today).ShouldBeAdmitted();
    }
}
