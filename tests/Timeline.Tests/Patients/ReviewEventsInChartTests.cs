using System.Text.Json;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Tests.Patients;

/// <summary>
/// Locks and signatures live in the patient's stream but are not clinical: the outcomes and the clinical part of
/// the timeline are the same with them as without; the chart keeps the lock and marks signatures superseded.
/// </summary>
public sealed class ReviewEventsInChartTests
{
    static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Outcomes_and_the_clinical_timeline_ignore_locks_and_signatures()
    {
        var b = new ChartBuilder().Enrol(D("2004-06-15")).Diagnose(D("2018-01-10"))
            .StartLine(1, D("2018-02-01"), "doxorubicin").StartLine(2, D("2018-09-01"), "ifosfamide")
            .Append(new PatientLocked("dr.admin", At, "interim analysis")).Append(new RecordSigned("dr.pi", At, SignatureMeaning.Reviewed, 4))
            .Relapse(D("2019-01-15")).StartLine(3, D("2019-02-01"), "sorafenib").Progress(D("2019-06-01"))
            .Append(new PatientUnlocked("dr.admin", At, "analysis done")).Die(D("2019-09-09"));
        var reviewed = b.Chart;
        var plain = PatientChart.Replay(b.PatientId, b.Events.Where(e => e.Data is not (PatientLocked or PatientUnlocked or RecordSigned)));

        PatientOutcome.From(reviewed).ShouldBe(PatientOutcome.From(plain));
        Clinical(PatientTimeline.From(reviewed)).ShouldBe(Clinical(PatientTimeline.From(plain)));
        PatientTimeline.From(reviewed).Signatures.ShouldHaveSingleItem().Status.ShouldBe("superseded");
        PatientTimeline.From(plain).Signatures.ShouldBeEmpty();
    }

    [Fact]
    public void A_lock_holds_until_unlocked_and_a_later_fact_or_correction_supersedes_a_signature()
    {
        var b = new ChartBuilder().Enrol(D("2004-06-15")).Diagnose(D("2018-01-10"));
        b.Append(new PatientLocked("dr.admin", At, "database lock"));
        b.Chart.Lock.ShouldNotBeNull().Reason.ShouldBe("database lock");
        b.Append(new RecordSigned("dr.pi", At, SignatureMeaning.Approved, 3));
        var signature = b.LastId;
        b.Append(new PatientUnlocked("dr.admin", At, "query resolved"));
        b.Chart.Lock.ShouldBeNull();
        b.Timeline.Signatures.ShouldHaveSingleItem().Status.ShouldBe("current");

        b.Correct(b.DiagnosisId, new DiagnosisRecorded(D("2018-01-12"), "9180/3", "femur", false));
        var correction = b.LastId;
        var shown = b.Timeline.Signatures.ShouldHaveSingleItem();
        (shown.EventId, shown.Status, shown.SupersededBy, shown.CoversVersion).ShouldBe((signature, "superseded", (Guid?)correction, 3L));

        // A second signature after the correction is current; the first stays superseded by the correction.
        b.Append(new RecordSigned("dr.pi", At, SignatureMeaning.Approved, 6));
        b.Timeline.Signatures.Select(s => s.Status).ShouldBe(["superseded", "current"]);
        b.ChartAfter(4).Signatures.ShouldHaveSingleItem().SupersededBy.ShouldBeNull(); // as it stood then
    }

    /// <summary>The timeline's JSON without version and the review fields: what the clinic sees.</summary>
    static string Clinical(PatientTimeline t) =>
        JsonSerializer.Serialize(t with { Version = 0, Locked = null, Signatures = [] });

    static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
