using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;

namespace Timeline.Projections.Patients;

/// <summary>A time-to-event interval in days from its origin, and whether it ended in the event (else censored).</summary>
public sealed record SurvivalInterval(int Days, bool Event);

/// <summary>
/// What the study derives for one patient (DOMAIN.md, "Derived quantities"), from the chart with every
/// correction applied. Deterministic: it reads only the chart.
/// </summary>
public sealed record PatientOutcome(
    string PatientId,
    string? Histology,
    DateOnly? BirthDate,
    DateOnly? LastContact,
    SecondLineRelapseAnchor? Anchor,
    int? FirstMtkiLine,
    DateOnly? FirstMtkiStart,
    string? FirstMtkiDrug,
    int? AgeAtMtkiStart,
    string? Group,
    string? ExclusionReason,
    SurvivalInterval? OverallSurvival,
    SurvivalInterval? TimeToProgression,
    SurvivalInterval? ProgressionFreeSurvival,
    RecistCategory? BestOverallResponse)
{
    /// <summary>SD counts towards the best response only when assessed this long after the line started (RECIST 1.1 minimum duration, study protocol).</summary>
    public const int MinimumStableDiseaseDays = 42;

    public const string NoLineTwo = "no second-line treatment";
    public const string NoRelapseAfterLineTwo = "no progression or relapse on or after the start of line 2";
    public const string MtkiBeforeAnchor = "first mTKI line started before the second-line relapse anchor";

    public bool StartedMtki => FirstMtkiStart is not null;

    public static PatientOutcome From(PatientChart chart)
    {
        var birth = chart.Find<PatientEnrolled>()?.BirthDate;
        var death = chart.Find<DeathRecorded>()?.Date;
        var lastContact = SecondLineRelapseAnchor.LastContact(chart);
        var anchor = SecondLineRelapseAnchor.Of(chart);
        var firstMtki = chart.All<TreatmentLineStarted>().Where(l => KinaseInhibitors.AnyMtki(l.Agents))
            .OrderBy(l => l.StartDate).ThenBy(l => l.Line).FirstOrDefault();
        var hasLineTwo = chart.All<TreatmentLineStarted>().Any(l => l.Line == 2);

        var (group, excluded) =
            !hasLineTwo ? (null, NoLineTwo)
            : anchor is null ? (null, NoRelapseAfterLineTwo)
            : firstMtki is null ? ("control", null)
            : firstMtki.StartDate < anchor.Date ? (null, MtkiBeforeAnchor)
            : ((string?)"mtki", (string?)null);

        SurvivalInterval? os = anchor is null ? null
            : death is { } d ? new(Days(anchor.Date, d), true)
            : new(Days(anchor.Date, lastContact ?? anchor.Date), false);

        SurvivalInterval? ttp = null, pfs = null;
        RecistCategory? bor = null;
        if (firstMtki is not null)
        {
            var start = firstMtki.StartDate;
            var progression = chart.All<ProgressionRecorded>().Where(p => p.Date > start).Select(p => (DateOnly?)p.Date).Min();
            var end = lastContact ?? start;
            // TTP: death without progression is censored at death; PFS counts that death as the event.
            ttp = progression is { } p ? new(Days(start, p), true)
                : death is { } dd ? new(Days(start, dd), false)
                : new(Days(start, end), false);
            var firstEvent = new[] { progression, death }.Where(x => x is not null).Min();
            pfs = firstEvent is { } e ? new(Days(start, e), true) : new(Days(start, end), false);
            bor = BestResponseOn(chart, firstMtki);
        }

        return new PatientOutcome(chart.Id, chart.Histology, birth, lastContact, anchor, firstMtki?.Line, firstMtki?.StartDate,
            firstMtki is null ? null : KinaseInhibitors.FirstMtki(firstMtki.Agents),
            birth is { } b && firstMtki is not null ? CompletedYears(b, firstMtki.StartDate) : null,
            group, excluded, os, ttp, pfs, bor);
    }

    /// <summary>Best of CR > PR > SD > PD up to and including the first PD; an early SD is NE; nothing assessed is NE.</summary>
    static RecistCategory BestResponseOn(PatientChart chart, TreatmentLineStarted line)
    {
        var best = RecistCategory.NE;
        foreach (var r in chart.All<ResponseAssessed>().Where(r => r.Line == line.Line).OrderBy(r => r.Date))
        {
            var category = r.Category == RecistCategory.SD && Days(line.StartDate, r.Date) < MinimumStableDiseaseDays
                ? RecistCategory.NE : r.Category;
            if (Rank(category) > Rank(best)) best = category;
            if (r.Category == RecistCategory.PD) break;
        }
        return best;
    }

    static int Rank(RecistCategory c) => c switch
    {
        RecistCategory.CR => 4, RecistCategory.PR => 3, RecistCategory.SD => 2, RecistCategory.PD => 1, _ => 0,
    };

    static int Days(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    /// <summary>Completed years: the age on that day, as a clinician states it.</summary>
    public static int CompletedYears(DateOnly birth, DateOnly on)
    {
        var years = on.Year - birth.Year;
        if (on.Month < birth.Month || (on.Month == birth.Month && on.Day < birth.Day)) years--;
        return years;
    }
}
