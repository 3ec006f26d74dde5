using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Timeline.Projections.Events;
using Timeline.Projections.ReadModels;

namespace Timeline.Projections.Patients;

/// <summary>
/// Keeps each patient's chart as a document, updated in the same transaction as the append (inline), so
/// the patient list and the analyses read current charts without replaying streams. In that same transaction
/// it opens the patient's new row of the analyses' read model (<see cref="AnalysisInputs"/>), so a figure
/// never lags the log. Marten raises these side effects for appends only, not in a rebuild: regeneration
/// rebuilds the read model from the log itself (<see cref="AnalysisInputsRebuild"/>).
/// </summary>
public sealed partial class PatientChartProjection : SingleStreamProjection<PatientChart, string>
{
    readonly string schema;

    /// <summary>Only a patient's own events: a data query's stream ("Q-…") is no patient and gets no chart.</summary>
    /// <param name="schema">The store's schema, where the analyses' read model lives.</param>
    public PatientChartProjection(string schema)
    {
        this.schema = schema;
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

    public override ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<PatientChart> slice)
    {
        if (slice.Snapshot is { } chart)
        {
            foreach (var (sql, parameters) in AnalysisInputs.NewState(schema, chart)) operations.QueueSqlCommand(sql, parameters);
        }
        return ValueTask.CompletedTask;
    }
}
