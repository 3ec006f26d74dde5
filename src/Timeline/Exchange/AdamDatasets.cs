using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Exchange;

/// <summary>
/// The study's ADaM-shaped data sets built from the analyses' per-patient outcomes, so every value is the one the
/// figures use: ADSL (one row per patient) and ADTTE (one row per patient and time-to-event parameter).
/// </summary>
public static class AdamDatasets
{
    public const string StudyId = "SARC-MTKI";

    static readonly AdamColumn[] AdslColumns =
    [
        new("STUDYID", "Study Identifier", AdamType.Text),
        new("USUBJID", "Unique Subject Identifier", AdamType.Text),
        new("SUBJID", "Subject Identifier for the Study", AdamType.Text),
        new("AGE", "Age at First mTKI Start", AdamType.Whole),
        new("AGEU", "Age Units", AdamType.Text),
        new("SEX", "Sex", AdamType.Text),
        new("BRTHDT", "Date of Birth", AdamType.Date),
        new("HISTO", "Histology", AdamType.Text),
        new("HISTOCD", "Histology ICD-O-3 Morphology Code", AdamType.Text),
        new("METASFL", "Metastatic at Diagnosis Flag", AdamType.Text),
        new("SURVGRP", "Survival Comparison Group", AdamType.Text),
        new("EXCLRSN", "Reason Excluded from OS Comparison", AdamType.Text),
        new("ANCHDT", "Second-Line Relapse Anchor Date", AdamType.Date),
        new("TRTSDT", "Date of First mTKI Start", AdamType.Date),
        new("TRT01A", "First mTKI Agent", AdamType.Text),
        new("BESTRSP", "Best Overall Response on First mTKI", AdamType.Text),
        new("OSFL", "OS Comparison Population Flag", AdamType.Text),
        new("MTKIFL", "mTKI-Treated (TTP/PFS/ORR) Popul. Flag", AdamType.Text),
        new("RSEVLFL", "Response Evaluable Population Flag", AdamType.Text),
    ];

    static readonly AdamColumn[] AdtteColumns =
    [
        new("STUDYID", "Study Identifier", AdamType.Text),
        new("USUBJID", "Unique Subject Identifier", AdamType.Text),
        new("PARAMCD", "Parameter Code", AdamType.Text),
        new("PARAM", "Parameter", AdamType.Text),
        new("AVAL", "Analysis Value", AdamType.Whole),
        new("AVALU", "Analysis Value Unit", AdamType.Text),
        new("STARTDT", "Time-to-Event Origin Date for Subject", AdamType.Date),
        new("ADT", "Analysis Date", AdamType.Date),
        new("CNSR", "Censor", AdamType.Whole),
        new("EVNTDESC", "Event or Censoring Description", AdamType.Text),
        new("CNSDTDSC", "Censor Date Description", AdamType.Text),
        new("SRCDOM", "Source Data", AdamType.Text),
        new("SRCVAR", "Source Variable (Event Id)", AdamType.Text),
        new("SRCSEQ", "Source Sequence Number (Stream Version)", AdamType.Whole),
    ];

    /// <summary>SRCDOM of every ADTTE row: the patient's event stream, where SRCVAR names the event and SRCSEQ its version.</summary>
    public const string SourceDomain = "EVENTS";

    public static string Usubjid(string patientId) => $"{StudyId}-{patientId}";

    public static AdamTable Adsl(ExportSource source) => new("ADSL", "Subject-Level Analysis Dataset", AdslColumns,
        source.Outcomes.Select(o => new object?[]
        {
            StudyId, Usubjid(o.PatientId), o.PatientId, o.AgeAtMtkiStart, o.AgeAtMtkiStart is null ? null : "YEARS", SexCode(o.Sex),
            o.BirthDate, Histologies.NameOf(o.Histology) ?? o.Histology, o.Histology, YesNo(o.Metastatic), o.Group, o.ExclusionReason,
            o.Anchor?.Date, o.FirstMtkiStart, o.FirstMtkiDrug, o.BestOverallResponse?.ToString(),
            Flag(o.Group is not null), Flag(o.StartedMtki), Flag(o.StartedMtki && o.BestOverallResponse is not RecistCategory.NE),
        }).ToList());

    public static AdamTable Adtte(ExportSource source) => new("ADTTE", "Time-to-Event Analysis Dataset", AdtteColumns,
        source.Outcomes.SelectMany(o => Parameters(o, source)).ToList());

    static IEnumerable<object?[]> Parameters(PatientOutcome o, ExportSource source)
    {
        var s = o.Sources ?? OutcomeSources.None;
        if (o.OverallSurvival is { } os && o.Anchor is { } anchor)
            yield return Row(o, "OS", "Overall Survival from Second-Line Relapse Anchor", os, anchor.Date,
                os.Event ? "DEATH" : null, os.Event ? null : "LAST CONTACT", s.OverallSurvivalEnd, source);
        if (o.FirstMtkiStart is { } start)
        {
            if (o.TimeToProgression is { } ttp)
                yield return Row(o, "TTP", "Time to Progression from First mTKI Start", ttp, start,
                    ttp.Event ? "PROGRESSION" : null,
                    ttp.Event ? null : s.TimeToProgressionEnd is { } end && end == s.ProgressionFreeSurvivalEnd && o.ProgressionFreeSurvival?.Event == true
                        ? "DEATH WITHOUT PROGRESSION" : "LAST CONTACT",
                    s.TimeToProgressionEnd, source);
            if (o.ProgressionFreeSurvival is { } pfs)
                yield return Row(o, "PFS", "Progression-Free Survival from First mTKI Start", pfs, start,
                    !pfs.Event ? null : o.TimeToProgression is { Event: true } t && t.Days == pfs.Days ? "PROGRESSION" : "DEATH",
                    pfs.Event ? null : "LAST CONTACT", s.ProgressionFreeSurvivalEnd, source);
        }
    }

    static object?[] Row(PatientOutcome o, string code, string param, SurvivalInterval interval, DateOnly origin,
        string? eventDescription, string? censorDescription, Guid? sourceEvent, ExportSource source) =>
    [
        StudyId, Usubjid(o.PatientId), code, param, interval.Days, "DAYS", origin, origin.AddDays(interval.Days),
        interval.Event ? 0 : 1, eventDescription ?? censorDescription, censorDescription,
        sourceEvent is null ? null : SourceDomain, sourceEvent?.ToString(), source.VersionOf(sourceEvent) is { } v ? (int)v : null,
    ];

    /// <summary>CDISC SEX codes (C66731): F, M, U; "other" has no code of its own there and is given as U.</summary>
    static string? SexCode(Sex? sex) => sex switch
    {
        Sex.Female => "F",
        Sex.Male => "M",
        null => null,
        _ => "U",
    };

    static string? YesNo(bool? value) => value is null ? null : value.Value ? "Y" : "N";
    static string Flag(bool value) => value ? "Y" : "N";
}
