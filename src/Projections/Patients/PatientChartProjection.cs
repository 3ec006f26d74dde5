using JasperFx.Events;
using Marten.Events.Aggregation;
using Timeline.Projections.Events;

namespace Timeline.Projections.Patients;

/// <summary>
/// Keeps each patient's chart as a document, updated in the same transaction as the append (inline), so
/// the patient list and the analyses read current charts without replaying streams.
/// </summary>
public sealed partial class PatientChartProjection : SingleStreamProjection<PatientChart, string>
{
    /// <summary>Only a patient's own events: a data query's stream ("Q-…") is no patient and gets no chart.</summary>
    public PatientChartProjection()
    {
        IncludeType<ClinicalFact>();
        IncludeType<FactCorrected>();
        IncludeType<FactRetracted>();
        IncludeType<PatientLocked>();
        IncludeType<PatientUnlocked>();
        IncludeType<RecordSigned>();
    }

    public override PatientChart? Evolve(PatientChart? snapshot, string id, IEvent e)
    {
        // The type filter above keeps query streams out of inline appends, but a rebuild still hands them over:
        // a stream whose first event is not a patient's gets no chart (a chart starts at its enrolment).
        if (snapshot is null && e.Data is not PatientEnrolled) return null;
        snapshot ??= new PatientChart { Id = id };
        snapshot.Apply(e.Id, e.Version, e.Sequence, e.Data);
        return snapshot;
    }
}
