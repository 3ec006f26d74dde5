using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using static Timeline.Tests.Patients.TestDates;

namespace Timeline.Tests.Patients;

/// <summary>The study's per-patient derivations (DOMAIN.md "Derived quantities"), one rule or exclusion per test.</summary>
public sealed class PatientOutcomeTests
{
    static ChartBuilder TwoLines() => new ChartBuilder()
        .Enrol(D("2004-06-15")).Diagnose(D("2018-01-10"))
        .StartLine(1, D("2018-02-01"), "doxorubicin").StartLine(2, D("2019-01-01"), "ifosfamide");

    [Fact]
    public void No_line_two_is_excluded_with_that_reason()
    {
        var o = PatientOutcome.From(new ChartBuilder().Enrol(D("2004-06-15")).Diagnose(D("2018-01-10")).StartLine(1, D("2018-02-01"), "doxorubicin").Chart);
        o.Group.ShouldBeNull();
        o.ExclusionReason.ShouldBe(PatientOutcome.NoLineTwo);
        o.OverallSurvival.ShouldBeNull();
    }

    [Fact]
    public void No_progression_after_line_two_start_is_excluded_with_that_reason()
    {
        var o = PatientOutcome.From(TwoLines().Progress(D("2018-12-31")).Chart);
        o.ExclusionReason.ShouldBe(PatientOutcome.NoRelapseAfterLineTwo);
    }

    [Fact]
    public void An_mtki_line_before_the_anchor_is_excluded()
    {
        var o = PatientOutcome.From(TwoLines().StartLine(3, D("2019-02-01"), "sorafenib").Progress(D("2019-05-01")).Chart);
        o.ExclusionReason.ShouldBe(PatientOutcome.MtkiBeforeAnchor);
        o.TimeToProgression.ShouldBe(new SurvivalInterval(89, true));
    }

    [Fact]
    public void Control_patient_os_runs_from_anchor_to_death()
    {
        var o = PatientOutcome.From(TwoLines().Relapse(D("2019-03-01")).Die(D("2019-06-09")).Chart);
        o.Group.ShouldBe("control");
        o.OverallSurvival.ShouldBe(new SurvivalInterval(100, true));
        o.TimeToProgression.ShouldBeNull();
        o.BestOverallResponse.ShouldBeNull();
    }

    [Fact]
    public void Mtki_patient_alive_is_censored_at_last_contact_and_age_is_completed_years()
    {
        var o = PatientOutcome.From(TwoLines().Progress(D("2019-03-01")).StartLine(3, D("2019-03-10"), "Pazopanib")
            .FollowUp(D("2019-09-06")).Chart);
        o.Group.ShouldBe("mtki");
        o.FirstMtkiDrug.ShouldBe("pazopanib");
        o.AgeAtMtkiStart.ShouldBe(14); // born 2004-06-15, not yet 15 on 2019-03-10
        o.OverallSurvival.ShouldBe(new SurvivalInterval(189, false));
        o.TimeToProgression.ShouldBe(new SurvivalInterval(180, false));
        o.BestOverallResponse.ShouldBe(RecistCategory.NE); // never assessed
    }

    [Fact]
    public void Death_without_progression_is_censored_for_ttp_and_an_event_for_pfs()
    {
        var o = PatientOutcome.From(TwoLines().Progress(D("2019-03-01")).StartLine(3, D("2019-03-10"), "sorafenib")
            .Die(D("2019-05-09")).Chart);
        o.TimeToProgression.ShouldBe(new SurvivalInterval(60, false));
        o.ProgressionFreeSurvival.ShouldBe(new SurvivalInterval(60, true));
    }

    [Fact]
    public void A_progression_on_the_mtki_start_day_is_not_after_it()
    {
        var o = PatientOutcome.From(TwoLines().Progress(D("2019-03-10")).StartLine(3, D("2019-03-10"), "sorafenib")
            .Progress(D("2019-06-18")).Chart);
        o.Group.ShouldBe("mtki");
        o.TimeToProgression.ShouldBe(new SurvivalInterval(100, true));
    }

    [Theory]
    [InlineData(41, RecistCategory.NE)]
    [InlineData(42, RecistCategory.SD)]
    public void Stable_disease_counts_only_from_day_42(int day, RecistCategory expected)
    {
        var start = D("2019-03-10");
        var o = PatientOutcome.From(TwoLines().Progress(D("2019-03-01")).StartLine(3, start, "sorafenib")
            .Assess(3, start.AddDays(day), RecistCategory.SD).Chart);
        o.BestOverallResponse.ShouldBe(expected);
    }

    [Fact]
    public void Best_response_stops_at_the_first_pd_and_reads_only_the_first_mtki_line()
    {
        var start = D("2019-03-10");
        var o = PatientOutcome.From(TwoLines().Progress(D("2019-03-01")).StartLine(3, start, "sorafenib")
            .Assess(3, start.AddDays(60), RecistCategory.PD).Assess(3, start.AddDays(120), RecistCategory.PR)
            .StartLine(4, start.AddDays(130), "regorafenib").Assess(4, start.AddDays(200), RecistCategory.CR).Chart);
        o.BestOverallResponse.ShouldBe(RecistCategory.PD);
        o.FirstMtkiLine.ShouldBe(3);
    }

    [Fact]
    public void A_corrected_death_date_changes_os_as_if_recorded_right_first()
    {
        var builder = TwoLines().Relapse(D("2019-03-01")).Die(D("2019-06-09"));
        builder.Correct(builder.DeathId, new DeathRecorded(D("2019-07-09"), DeathCause.Disease));
        PatientOutcome.From(builder.Chart).OverallSurvival.ShouldBe(new SurvivalInterval(130, true));
    }
}
