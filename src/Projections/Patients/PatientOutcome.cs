using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;

namespace Timeline.Projections.Patients;

/// <summary>A time-to-event interval in days from its origin, and whether it ended in the event (else censored).</summary>
public sealed record SurvivalInterval(int Days, bool Event);

/// <summary>
/// The events each derived value came from (original event ids; a corrected fact keeps its original's id, whose
/// history shows the correction), so that an auditor can open the history at exactly those events.
/// </summary>
/// <param name="Anchor">The progression or relapse that is the second-line relapse anchor.</param>
/// <param name="OverallSurvivalEnd">The death, or the fact that dates last contact (censoring).</param>
/// <param name="MtkiStart">The start of the first mTKI line.</param>
/// <param name="TimeToProgressionEnd">The progression, else the death (censored) or the last-contact fact.</param>
/// <param name="ProgressionFreeSurvivalEnd">The progression or death that came first, else the last-contact fact.</param>
/// <param name="BestResponse">The assessment that gave the best overall response (none when NE for want of one).</param>
public sealed record OutcomeSources(
    Guid? Anchor, Guid? OverallSurvivalEnd, Guid? MtkiStart, Guid? TimeToProgressionEnd, Guid? ProgressionFreeSurvivalEnd, Guid? BestResponse)
{
    public static readonly OutcomeSources None = new(null, null, null, null, null, null);
}

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
    RecistCategory? BestOverallResponse,
    Sex? Sex = null,
    bool? Metastatic = null,
    OutcomeSources? Sources = null,
    string? MissingValues = null)
{
    /// <summary>SD counts towards the best response only when assessed this long after the line started (RECIST 1.1 minimum duration, study protocol).</summary>
    public const int MinimumStableDiseaseDays = 42;

    public const string NoLineTwo = "no second-line treatment";
    public const string NoRelapseAfterLineTwo = "no progression or relapse on or after the start of line 2";
    public const string MtkiBeforeAnchor = "first mTKI line started before the second-line relapse anchor";

    public bool StartedMtki => FirstMtkiStart is not null;

    public static PatientOutcome From(PatientChart chart)
    {
        var enrolment = chart.Find<PatientEnrolled>();
        var birth = enrolment?.BirthDate;
        var deathEntry = chart.Facts.FirstOrDefault(f => f.Fact is DeathRecorded);
        var death = (deathEntry?.Fact as DeathRecorded)?.Date;
        var lastContactEvent = LastContactEvent(chart);
        var lastContact = SecondLineRelapseAnchor.LastContact(chart);
        var anchor = SecondLineRelapseAnchor.Of(chart);
        var firstMtkiEntry = chart.Facts.Where(f => f.Fact is TreatmentLineStarted l && KinaseInhibitors.AnyMtki(l.Agents))
            .OrderBy(f => f.Fact.ClinicalDate).ThenBy(f => ((TreatmentLineStarted)f.Fact).Line).FirstOrDefault();
        var firstMtki = firstMtkiEntry?.Fact as TreatmentLineStarted;
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
        Guid? ttpEnd = null, pfsEnd = null, borEvent = null;
        if (firstMtki is not null)
        {
            var start = firstMtki.StartDate;
            // The earliest progression after the start (the first recorded of equal dates).
            var progressionEntry = chart.Facts.Where(f => f.Fact is ProgressionRecorded p && p.Date > start)
                .OrderBy(f => f.Fact.ClinicalDate).FirstOrDefault();
            var progression = progressionEntry?.Fact.ClinicalDate;
            var end = lastContact ?? start;
            // TTP: death without progression is censored at death; PFS counts that death as the event.
            (ttp, ttpEnd) = progression is { } p ? (new SurvivalInterval(Days(start, p), true), progressionEntry!.EventId)
                : death is { } dd ? (new SurvivalInterval(Days(start, dd), false), deathEntry!.EventId)
                : (new SurvivalInterval(Days(start, end), false), lastContactEvent ?? firstMtkiEntry!.EventId);
            var progressionFirst = progression is { } pp && (death is not { } d2 || pp <= d2);
            (pfs, pfsEnd) = progressionFirst ? (new SurvivalInterval(Days(start, progression!.Value), true), progressionEntry!.EventId)
                : death is { } d3 ? (new SurvivalInterval(Days(start, d3), true), deathEntry!.EventId)
                : (new SurvivalInterval(Days(start, end), false), lastContactEvent ?? firstMtkiEntry!.EventId);
            (bor, borEvent) = BestResponseOn(chart, firstMtki);
        }

        return new PatientOutcome(chart.Id, chart.Histology, birth, lastContact, anchor, firstMtki?.Line, firstMtki?.StartDate,
            firstMtki is null ? null : KinaseInhibitors.FirstMtki(firstMtki.Agents),
            birth is { } b && firstMtki is not null ? CompletedYears(b, firstMtki.StartDate) : null,
            group, excluded, os, ttp, pfs, bor, enrolment?.Sex, chart.Find<DiagnosisRecorded>()?.Metastatic,
            new OutcomeSources(anchor?.EventId,
                anchor is null ? null : deathEntry?.EventId ?? lastContactEvent ?? anchor.EventId,
                firstMtkiEntry?.EventId, ttpEnd, pfsEnd, borEvent),
            MissingValuesOf(chart));
    }

    /// <summary>
    /// The patient's missing values over the facts in force (corrections applied), each "kind.field=reason" once,
    /// in ordinal order, joined by commas ("diagnosis.metastatic=not-done,treatment-line.regimen=unknown"); null
    /// when none. One text, so the read model keeps it in one column and an outcome still compares by value.
    /// </summary>
    static string? MissingValuesOf(PatientChart chart)
    {
        SortedSet<string>? keys = null;
        foreach (var entry in chart.Facts)
            foreach (var missing in entry.Fact.Missing ?? [])
                (keys ??= new(StringComparer.Ordinal)).Add($"{FactKinds.Of(entry.Fact)}.{missing.Field}={missing.Reason}");
        return keys is null ? null : string.Join(",", keys);
    }

    /// <summary>The fact that dates last contact: the latest clinical date (the last recorded of equal dates).</summary>
    static Guid? LastContactEvent(PatientChart chart)
    {
        ChartEntry? latest = null;
        foreach (var f in chart.Facts)
            if (f.Fact is not PatientEnrolled && (latest is null || f.Fact.ClinicalDate >= latest.Fact.ClinicalDate)) latest = f;
        return latest?.EventId;
    }

    /// <summary>Best of CR > PR > SD > PD up to and including the first PD; an early SD is NE; nothing assessed is NE.</summary>
    static (RecistCategory Best, Guid? Source) BestResponseOn(PatientChart chart, TreatmentLineStarted line)
    {
        var best = RecistCategory.NE;
        Guid? source = null;
        foreach (var (id, r) in chart.Facts.Where(f => f.Fact is ResponseAssessed a && a.Line == line.Line)
                     .Select(f => (f.EventId, (ResponseAssessed)f.Fact)).OrderBy(x => x.Item2.Date))
        {
            var category = r.Category == RecistCategory.SD && Days(line.StartDate, r.Date) < MinimumStableDiseaseDays
                ? RecistCategory.NE : r.Category;
            if (Rank(category) > Rank(best) || (source is null && category == best)) (best, source) = (category, id);
            if (r.Category == RecistCategory.PD) break;
        }
        return (best, source);
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
