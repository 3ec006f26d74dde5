using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using static Timeline.Tests.Patients.TestDates;

namespace Timeline.Tests.Patients;

/// <summary>
/// The derived timeline (PatientTimeline.From a replayed chart): corrections applied in place, retractions
/// removed, the second-line relapse anchor, last contact, mTKI lines, version and status (DOMAIN.md,
/// "Derived quantities").
/// </summary>
public class PatientTimelineTests
{
    static readonly DateOnly Birth = D("2005-03-01");
    static readonly DateOnly LineTwoStart = D("2019-02-01");

    /// <summary>Osteosarcoma, first-line MAP, progression, second-line IE from 2019-02-01 (6 events).</summary>
    static ChartBuilder SecondLine() => new ChartBuilder()
        .Enrol(Birth, Sex.Male)
        .Diagnose(D("2018-01-10"), "9180/3", "femur", false)
        .StartLine(1, D("2018-02-01"), "doxorubicin", "cisplatin", "methotrexate")
        .EndLine(1, D("2018-09-01"), LineEndReason.Completed)
        .Progress(D("2019-01-15"))
        .StartLine(2, LineTwoStart, "ifosfamide", "etoposide");

    // ---- corrections and retractions ---------------------------------------------------------------------

    [Fact]
    public void A_correction_replaces_the_fact_in_place_and_marks_it_corrected()
    {
        var built = SecondLine().Progress(D("2019-06-01")).FollowUp(D("2019-07-01"));
        var progression = built.IdOf<ProgressionRecorded>(1);
        built.Correct(progression, new ProgressionRecorded(D("2019-06-20")));

        var chart = built.Chart;
        chart.IndexOf(progression).ShouldBe(6, "the replacement stays where the original was recorded");
        chart.Facts[6].ShouldBe(new ChartEntry(progression, 7, new ProgressionRecorded(D("2019-06-20")), Corrected: true));
        chart.Facts.Count.ShouldBe(8);

        var timeline = PatientTimeline.From(chart);
        timeline.Progressions.ShouldBe([
            new DatedEntry(built.IdOf<ProgressionRecorded>(0), D("2019-01-15"), Corrected: false),
            new DatedEntry(progression, D("2019-06-20"), Corrected: true),
        ]);
    }

    [Fact]
    public void A_corrected_line_start_keeps_its_event_id_and_is_marked_corrected()
    {
        var built = SecondLine();
        built.Correct(built.LineStartId(2), new TreatmentLineStarted(2, D("2019-02-05"), "IE", ["ifosfamide", "etoposide"]));

        var lines = built.Timeline.TreatmentLines;
        lines.Select(l => (l.Line, l.StartDate, l.Corrected)).ShouldBe([(1, D("2018-02-01"), false), (2, D("2019-02-05"), true)]);
        lines[1].EventId.ShouldBe(built.LineStartId(2));
        lines[1].Regimen.ShouldBe("IE");
    }

    [Fact]
    public void A_later_correction_of_the_same_fact_wins()
    {
        var built = SecondLine();
        var progression = built.IdOf<ProgressionRecorded>();
        built.Correct(progression, new ProgressionRecorded(D("2019-01-20")))
            .Correct(progression, new ProgressionRecorded(D("2019-01-10")));

        built.Timeline.Progressions.ShouldBe([new DatedEntry(progression, D("2019-01-10"), Corrected: true)]);
    }

    [Fact]
    public void A_retraction_removes_the_fact_from_the_timeline_and_the_chart_remembers_it()
    {
        var built = SecondLine().FollowUp(D("2019-03-01"));
        var followUp = built.LastId;
        built.Retract(followUp);

        var chart = built.Chart;
        chart.IndexOf(followUp).ShouldBe(-1);
        chart.Retracted.ShouldBe([followUp]);
        chart.CorrectionEvents.ShouldBe([built.LastId]);
        PatientTimeline.From(chart).FollowUps.ShouldBeEmpty();
    }

    [Fact]
    public void A_correction_after_a_retraction_of_the_same_fact_changes_nothing()
    {
        var built = SecondLine().FollowUp(D("2019-03-01"));
        var followUp = built.LastId;
        built.Retract(followUp).Correct(followUp, new FollowUpRecorded(D("2019-04-01")));

        built.Timeline.FollowUps.ShouldBeEmpty();
        built.Chart.Facts.Count.ShouldBe(6);
    }

    [Fact]
    public void Facts_never_corrected_are_not_marked()
    {
        var timeline = SecondLine().Timeline;
        timeline.Demographics.ShouldBe(new Demographics(Birth, Sex.Male, Corrected: false) { EventId = timeline.Demographics!.EventId });
        timeline.Demographics.EventId.ShouldNotBe(Guid.Empty);
        timeline.Diagnosis.ShouldNotBeNull().Corrected.ShouldBeFalse();
        timeline.TreatmentLines.ShouldAllBe(l => !l.Corrected);
        timeline.Progressions.ShouldAllBe(p => !p.Corrected);
    }

    [Fact]
    public void A_corrected_enrolment_shows_in_the_demographics()
    {
        var built = SecondLine();
        built.Correct(built.EnrolmentId, new PatientEnrolled(D("2005-04-01"), Sex.Female));
        built.Timeline.Demographics.ShouldBe(new Demographics(D("2005-04-01"), Sex.Female, Corrected: true) { EventId = built.Timeline.Demographics!.EventId });
    }

    // ---- the timeline's content --------------------------------------------------------------------------

    [Fact]
    public void The_diagnosis_carries_the_study_name_of_its_code()
    {
        var built = SecondLine();
        built.Timeline.Diagnosis.ShouldBe(
            new DiagnosisEntry(built.DiagnosisId, D("2018-01-10"), "9180/3", "osteosarcoma", "femur", false, Corrected: false));
    }

    [Fact]
    public void A_code_outside_the_study_names_has_no_name()
    {
        var timeline = new ChartBuilder().Enrol(Birth).Diagnose(D("2018-01-10"), "8810/3").Timeline;
        timeline.Diagnosis.ShouldNotBeNull().HistologyName.ShouldBeNull();
        timeline.Diagnosis.Histology.ShouldBe("8810/3");
    }

    [Fact]
    public void Lines_are_ordered_by_number_with_their_end_and_their_own_responses_by_date()
    {
        var built = SecondLine()
            .Assess(2, D("2019-06-01"), RecistCategory.PD)
            .Assess(2, D("2019-04-01"), RecistCategory.SD)
            .Assess(1, D("2018-05-01"), RecistCategory.PR);
        var lines = built.Timeline.TreatmentLines;

        lines.Select(l => l.Line).ShouldBe([1, 2]);
        lines[0].EndDate.ShouldBe(D("2018-09-01"));
        lines[0].EndReason.ShouldBe(LineEndReason.Completed);
        lines[0].EndEventId.ShouldBe(built.LineEndId(1));
        lines[0].Responses.Select(r => (r.Date, r.Category)).ShouldBe([(D("2018-05-01"), RecistCategory.PR)]);
        lines[1].EndDate.ShouldBeNull();
        lines[1].EndReason.ShouldBeNull();
        lines[1].EndEventId.ShouldBeNull();
        lines[1].Responses.Select(r => (r.Date, r.Category)).ShouldBe([(D("2019-04-01"), RecistCategory.SD), (D("2019-06-01"), RecistCategory.PD)]);
    }

    [Fact]
    public void Adverse_events_are_listed_by_date_with_or_without_a_line()
    {
        var built = SecondLine().AdverseEvent(D("2019-03-10"), 2, "Febrile neutropenia", 3).AdverseEvent(D("2018-03-01"), null, "Fracture", 2);
        built.Timeline.AdverseEvents.Select(a => (a.Date, a.Line, a.Term, a.Grade)).ShouldBe([
            (D("2018-03-01"), (int?)null, "Fracture", 2),
            (D("2019-03-10"), (int?)2, "Febrile neutropenia", 3),
        ]);
    }

    [Fact]
    public void A_death_is_shown_with_its_cause()
    {
        var built = SecondLine().Die(D("2020-01-05"), DeathCause.Disease);
        built.Timeline.Death.ShouldBe(new DeathEntry(built.DeathId, D("2020-01-05"), DeathCause.Disease, Corrected: false));
    }

    // ---- mTKI lines ----------------------------------------------------------------------------------------

    [Fact]
    public void A_line_with_an_mTKI_agent_in_any_case_is_an_mTKI_line()
    {
        var timeline = SecondLine().Progress(D("2019-08-01")).StartLine(3, D("2019-09-01"), "Sorafenib").Timeline;
        timeline.TreatmentLines.Select(l => (l.Line, l.IsMtki)).ShouldBe([(1, false), (2, false), (3, true)]);
    }

    [Theory]
    [InlineData("SORAFENIB")]
    [InlineData("regorafenib")]
    [InlineData("Pazopanib")]
    [InlineData(" cabozantinib ")]
    [InlineData("Lenvatinib")]
    [InlineData("apatinib")]
    [InlineData("anlotinib")]
    [InlineData("sunitinib")]
    public void Every_shipped_mTKI_makes_an_mTKI_line_even_beside_chemotherapy(string agent)
    {
        var built = SecondLine().StartLine(3, D("2019-09-01"), "cyclophosphamide", agent);
        built.Timeline.TreatmentLines[2].IsMtki.ShouldBeTrue();
        built.Chart.IsMtkiLine(3).ShouldBeTrue();
    }

    [Fact]
    public void Chemotherapy_lines_are_not_mTKI_lines()
    {
        var built = SecondLine();
        built.Timeline.TreatmentLines.ShouldAllBe(l => !l.IsMtki);
        built.Chart.IsMtkiLine(1).ShouldBeFalse();
        built.Chart.IsMtkiLine(2).ShouldBeFalse();
    }

    [Fact]
    public void A_line_corrected_to_an_mTKI_becomes_an_mTKI_line()
    {
        var built = SecondLine();
        built.Correct(built.LineStartId(2), new TreatmentLineStarted(2, LineTwoStart, null, ["Regorafenib"]));
        built.Timeline.TreatmentLines[1].IsMtki.ShouldBeTrue();
    }

    // ---- the second-line relapse anchor ----------------------------------------------------------------------

    [Fact]
    public void Without_line_two_there_is_no_anchor_even_with_progressions()
    {
        var timeline = new ChartBuilder().Enrol(Birth).Diagnose(D("2018-01-10"))
            .StartLine(1, D("2018-02-01")).Progress(D("2018-06-01")).Relapse(D("2019-06-01")).Timeline;
        timeline.Anchor.ShouldBeNull();
    }

    [Fact]
    public void With_line_two_but_every_progression_before_it_there_is_no_anchor() =>
        SecondLine().Timeline.Anchor.ShouldBeNull();

    [Fact]
    public void The_anchor_is_the_earliest_progression_or_relapse_on_or_after_line_two_whatever_the_recording_order()
    {
        var built = SecondLine().Progress(D("2019-08-01")).Relapse(D("2019-06-01")).Progress(D("2019-07-01"));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-06-01"), "relapse", built.IdOf<RelapseRecorded>()));
    }

    [Fact]
    public void A_relapse_on_the_day_line_two_starts_is_the_anchor()
    {
        var built = SecondLine().Relapse(LineTwoStart).Progress(D("2019-05-01"));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(LineTwoStart, "relapse", built.IdOf<RelapseRecorded>()));
    }

    [Fact]
    public void A_progression_the_day_before_line_two_is_not_the_anchor()
    {
        var built = SecondLine().Progress(LineTwoStart.AddDays(-1)).Progress(D("2019-05-01"));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-05-01"), "progression", built.IdOf<ProgressionRecorded>(2)));
    }

    [Fact]
    public void Correcting_the_anchor_event_later_moves_the_anchor_to_the_next_one()
    {
        var built = SecondLine().Progress(D("2019-05-01")).Relapse(D("2019-07-01"));
        var progression = built.IdOf<ProgressionRecorded>(1);
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-05-01"), "progression", progression));

        built.Correct(progression, new ProgressionRecorded(D("2019-09-01")));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-07-01"), "relapse", built.IdOf<RelapseRecorded>()));
    }

    [Fact]
    public void Correcting_the_anchor_event_earlier_moves_the_anchor_with_it()
    {
        var built = SecondLine().Progress(D("2019-05-01"));
        var progression = built.IdOf<ProgressionRecorded>(1);
        built.Correct(progression, new ProgressionRecorded(D("2019-04-10")));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-04-10"), "progression", progression));
    }

    [Fact]
    public void Correcting_line_two_start_to_the_earlier_progression_makes_it_the_anchor()
    {
        // The progression of 2019-01-15 preceded line 2; once line 2 is found to have started that very day, it counts.
        var built = SecondLine().Progress(D("2019-05-01"));
        built.Correct(built.LineStartId(2), new TreatmentLineStarted(2, D("2019-01-15"), null, ["ifosfamide"]));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-01-15"), "progression", built.IdOf<ProgressionRecorded>(0)));
    }

    [Fact]
    public void Retracting_the_anchor_event_moves_the_anchor_to_the_next_one()
    {
        var built = SecondLine().Progress(D("2019-05-01")).Relapse(D("2019-07-01"));
        built.Retract(built.IdOf<ProgressionRecorded>(1));
        built.Timeline.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-07-01"), "relapse", built.IdOf<RelapseRecorded>()));
    }

    [Fact]
    public void Retracting_the_only_anchor_event_leaves_no_anchor()
    {
        var built = SecondLine().Progress(D("2019-05-01"));
        built.Retract(built.LastId);
        built.Timeline.Anchor.ShouldBeNull();
    }

    // ---- last contact ----------------------------------------------------------------------------------------

    [Fact]
    public void An_enrolled_patient_has_no_last_contact_the_birth_date_is_not_a_contact() =>
        new ChartBuilder().Enrol(Birth).Timeline.LastContact.ShouldBeNull();

    [Fact]
    public void The_diagnosis_alone_is_the_last_contact() =>
        new ChartBuilder().Enrol(Birth).Diagnose(D("2018-01-10")).Timeline.LastContact.ShouldBe(D("2018-01-10"));

    [Fact]
    public void Last_contact_is_the_latest_clinical_date_not_the_last_recorded()
    {
        var built = SecondLine()
            .Assess(2, D("2019-05-20"), RecistCategory.SD)
            .FollowUp(D("2019-05-01"))
            .AdverseEvent(D("2019-04-01"), 2, "Nausea", 1);
        built.Timeline.LastContact.ShouldBe(D("2019-05-20"));
    }

    [Theory]
    [InlineData("follow-up")]
    [InlineData("response")]
    [InlineData("line-end")]
    [InlineData("adverse-event")]
    [InlineData("relapse")]
    public void Each_kind_of_fact_can_be_the_last_contact(string kind)
    {
        var latest = D("2019-11-30");
        var built = SecondLine().FollowUp(D("2019-06-01"));
        _ = kind switch
        {
            "follow-up" => built.FollowUp(latest),
            "response" => built.Assess(2, latest, RecistCategory.PR),
            "line-end" => built.EndLine(2, latest, LineEndReason.Toxicity),
            "adverse-event" => built.AdverseEvent(latest, null, "Fatigue", 1),
            "relapse" => built.Relapse(latest),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        built.Timeline.LastContact.ShouldBe(latest);
    }

    [Fact]
    public void A_retracted_follow_up_is_no_longer_a_contact()
    {
        var built = SecondLine().FollowUp(D("2019-12-01"));
        built.Retract(built.LastId);
        built.Timeline.LastContact.ShouldBe(LineTwoStart);
    }

    [Fact]
    public void A_corrected_follow_up_counts_at_its_corrected_date()
    {
        var built = SecondLine().FollowUp(D("2019-12-01"));
        built.Correct(built.LastId, new FollowUpRecorded(D("2019-10-01")));
        built.Timeline.LastContact.ShouldBe(D("2019-10-01"));
    }

    // ---- version and status -----------------------------------------------------------------------------------

    [Fact]
    public void The_version_counts_every_event_corrections_and_retractions_included()
    {
        var built = SecondLine().FollowUp(D("2019-03-01"));
        built.Correct(built.LastId, new FollowUpRecorded(D("2019-03-02"))).Retract(built.IdOf<FollowUpRecorded>());

        built.Events.Count.ShouldBe(9);
        built.Chart.Version.ShouldBe(9);
        built.Chart.LastSequence.ShouldBe(1009);
        built.Timeline.Version.ShouldBe(9);
        built.Timeline.PatientId.ShouldBe("SARC-001");
        built.Timeline.AsOf.ShouldBeNull();
    }

    [Fact]
    public void Status_follows_the_patient_through_the_stream()
    {
        var built = new ChartBuilder().Enrol(Birth);
        built.Chart.Status.ShouldBe("enrolled");
        built.Diagnose(D("2018-01-10"));
        built.Chart.Status.ShouldBe("diagnosed");
        built.StartLine(1, D("2018-02-01"));
        built.Chart.Status.ShouldBe("on-treatment");
        built.EndLine(1, D("2018-09-01"));
        built.Chart.Status.ShouldBe("off-treatment");
        built.StartLine(2, D("2019-02-01"));
        built.Chart.Status.ShouldBe("on-treatment");
        built.Die(D("2019-06-01"));
        built.Chart.Status.ShouldBe("deceased");
    }

    [Fact]
    public void Retracting_a_line_end_puts_the_patient_back_on_treatment()
    {
        var built = SecondLine().EndLine(2, D("2019-06-01"));
        built.Chart.Status.ShouldBe("off-treatment");
        built.Retract(built.LineEndId(2));
        built.Chart.Status.ShouldBe("on-treatment");
    }

    [Fact]
    public void Retracting_the_death_brings_the_patient_back()
    {
        var built = SecondLine().Die(D("2019-06-01"));
        built.Retract(built.DeathId);
        built.Chart.Status.ShouldBe("on-treatment");
        built.Timeline.Death.ShouldBeNull();
    }

    // ---- replaying a prefix ------------------------------------------------------------------------------------

    [Fact]
    public void Replaying_a_prefix_of_the_events_gives_the_earlier_state()
    {
        var built = SecondLine().Progress(D("2019-05-01"));
        var progression = built.LastId;
        built.Correct(progression, new ProgressionRecorded(D("2019-06-01"))).Retract(progression);

        // 7 events: the progression as first recorded.
        var before = PatientTimeline.From(built.ChartAfter(7));
        before.Version.ShouldBe(7);
        before.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-05-01"), "progression", progression));
        before.LastContact.ShouldBe(D("2019-05-01"));

        // 8 events: the correction applied.
        var corrected = PatientTimeline.From(built.ChartAfter(8));
        corrected.Version.ShouldBe(8);
        corrected.Anchor.ShouldBe(new SecondLineRelapseAnchor(D("2019-06-01"), "progression", progression));
        corrected.Progressions[^1].Corrected.ShouldBeTrue();

        // All 9: retracted.
        var now = built.Timeline;
        now.Version.ShouldBe(9);
        now.Anchor.ShouldBeNull();
        now.LastContact.ShouldBe(LineTwoStart);

        // 2 events: enrolled and diagnosed, nothing else yet.
        var early = built.ChartAfter(2);
        early.Status.ShouldBe("diagnosed");
        PatientTimeline.From(early).TreatmentLines.ShouldBeEmpty();
    }
}
