using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Timeline.Projections.Patients;

/// <summary>
/// Keeps each patient's chart as a document, updated in the same transaction as the append (inline), so
/// the patient list and the analyses read current charts without replaying streams.
/// </summary>
public sealed partial class PatientChartProjection : SingleStreamProjection<PatientChart, string>
{
    public override PatientChart? Evolve(PatientChart? snapshot, string id, IEvent e)
    {
        snapshot ??= new PatientChart { Id = id };
        snapshot.Apply(e.Id, e.Version, e.Sequence, e.Data);
        return snapshot;
    }
}
