namespace Timeline.Recording;

/// <summary>
/// The recording routes by name, as a fact's "type" in the demo cohort and in NDJSON imports: each names
/// the request record its body is read as (the body of that route in API.md).
/// </summary>
public static class FactTypes
{
    public const string Enrolment = "enrolment";

    public static readonly IReadOnlyDictionary<string, Type> RequestTypes = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [Enrolment] = typeof(EnrolPatient),
        ["diagnosis"] = typeof(RecordDiagnosis),
        ["treatment-line"] = typeof(StartTreatmentLine),
        ["treatment-line-end"] = typeof(EndTreatmentLine),
        ["response"] = typeof(AssessResponse),
        ["progression"] = typeof(RecordProgression),
        ["relapse"] = typeof(RecordRelapse),
        ["adverse-event"] = typeof(RecordAdverseEvent),
        ["follow-up"] = typeof(RecordFollowUp),
        ["death"] = typeof(RecordDeath),
    };
}
