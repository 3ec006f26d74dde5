using System.Reflection;
using System.Text.Json.Serialization;
using Timeline.Projections.Events;

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

    // A fact's JSON discriminator (PatientEvents.cs) is the name of the route that records it.
    static readonly Dictionary<Type, string> NameByFact = typeof(ClinicalFact)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The request record of the route that recorded this kind of fact: a correction's replacement is read as it.</summary>
    public static Type RequestTypeFor(ClinicalFact fact) =>
        NameByFact.TryGetValue(fact.GetType(), out var name) && RequestTypes.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"No route records {fact.GetType().Name}.");
}
