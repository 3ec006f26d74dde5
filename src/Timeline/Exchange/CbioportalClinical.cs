using System.Globalization;
using Timeline.Projections.Analysis;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Patients;
using static Timeline.Exchange.CbioportalTables;

namespace Timeline.Exchange;

/// <summary>
/// The study's clinical files: one row per patient with the outcomes the analyses use (OS from the second-line relapse
/// anchor, PFS and TTP from the first mTKI start, in months of 30.4375 days), and one sample per patient.
/// </summary>
public static class CbioportalClinical
{
    public const string PatientFile = "data_clinical_patient.txt";
    public const string SampleFile = "data_clinical_sample.txt";

    static readonly ClinicalColumn[] PatientAttributes =
    [
        new("PATIENT_ID", "Patient Identifier", "Pseudonymous study id of the patient", "STRING"),
        new("OS_STATUS", "Overall Survival Status", "Death after the second-line relapse anchor (1) or censored at last contact (0)", "STRING"),
        new("OS_MONTHS", "Overall Survival (Months)", "Months from the second-line relapse anchor to death or last contact", "NUMBER"),
        new("PFS_STATUS", "Progression Free Status", "Progression or death after the first mTKI start (1) or censored (0)", "STRING"),
        new("PFS_MONTHS", "Progression Free Survival (Months)", "Months from the first mTKI start to progression, death or last contact", "NUMBER"),
        new("TTP_STATUS", "Time to Progression Status", "Progression after the first mTKI start (1) or censored, also at death (0)", "STRING"),
        new("TTP_MONTHS", "Time to Progression (Months)", "Months from the first mTKI start to progression, death or last contact", "NUMBER"),
        new("AGE", "Age at mTKI Start", "Completed years at the start of the first mTKI line", "NUMBER"),
        new("SEX", "Sex", "Sex recorded at enrolment", "STRING"),
        new("HISTOLOGY", "Histology", "Histology at diagnosis", "STRING"),
        new("HISTOLOGY_CODE", "Histology ICD-O-3 Code", "ICD-O-3 morphology code of the histology", "STRING"),
        new("METASTATIC_AT_DIAGNOSIS", "Metastatic at Diagnosis", "Metastases present at diagnosis", "STRING"),
        new("SURVIVAL_GROUP", "Survival Comparison Group", "mtki or control for the OS comparison", "STRING"),
        new("OS_EXCLUSION_REASON", "Excluded from OS Comparison", "Why the patient is not in the OS comparison", "STRING"),
        new("FIRST_MTKI_AGENT", "First mTKI Agent", "The mTKI of the first mTKI line", "STRING"),
        new("BEST_RESPONSE", "Best Overall Response on mTKI", "RECIST 1.1 best overall response on the first mTKI line", "STRING"),
    ];

    static readonly ClinicalColumn[] SampleAttributes =
    [
        new("PATIENT_ID", "Patient Identifier", "Pseudonymous study id of the patient", "STRING"),
        new("SAMPLE_ID", "Sample Identifier", "One sample per patient: the diagnosis", "STRING"),
        new("CANCER_TYPE", "Cancer Type", "Cancer type", "STRING"),
        new("CANCER_TYPE_DETAILED", "Cancer Type Detailed", "Histology at diagnosis", "STRING"),
    ];

    public static string SampleId(string patientId) => patientId + "-S1";

    public static Task WritePatientsAsync(ExportSource source, Stream output, CancellationToken ct) =>
        WriteClinicalAsync(output, PatientAttributes, source.Outcomes.Select(o => new[]
        {
            o.PatientId,
            o.OverallSurvival is { } os ? (os.Event ? "1:DECEASED" : "0:LIVING") : null, Months(o.OverallSurvival),
            o.ProgressionFreeSurvival is { } pfs ? (pfs.Event ? "1:PROGRESSION OR DEATH" : "0:CENSORED") : null, Months(o.ProgressionFreeSurvival),
            o.TimeToProgression is { } ttp ? (ttp.Event ? "1:PROGRESSION" : "0:CENSORED") : null, Months(o.TimeToProgression),
            o.AgeAtMtkiStart?.ToString(CultureInfo.InvariantCulture), o.Sex?.ToString(),
            Histologies.NameOf(o.Histology) ?? o.Histology, o.Histology,
            o.Metastatic is { } m ? (m ? "Yes" : "No") : null, o.Group, o.ExclusionReason, o.FirstMtkiDrug, o.BestOverallResponse?.ToString(),
        }), ct);

    public static Task WriteSamplesAsync(ExportSource source, Stream output, CancellationToken ct) =>
        WriteClinicalAsync(output, SampleAttributes, source.Outcomes.Select(o => new[]
        {
            o.PatientId, SampleId(o.PatientId), "Sarcoma", Histologies.NameOf(o.Histology) ?? o.Histology,
        }), ct);

    /// <summary>Months as the analyses count them (days / 30.4375), to 6 decimals.</summary>
    static string? Months(SurvivalInterval? interval) =>
        interval is null ? null : Math.Round(TimeUnits.FromDays(interval.Days, TimeUnit.Months), 6).ToString("0.######", CultureInfo.InvariantCulture);
}
