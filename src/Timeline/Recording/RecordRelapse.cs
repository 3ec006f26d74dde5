using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

/// <summary>Recurrence after remission.</summary>
public sealed record RecordRelapse(DateOnly? Date) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors) => new RelapseRecorded(errors.Required(Date, "date"));
}

public static class RecordRelapseEndpoint
{
    [WolverinePost("/api/patients/{patientId}/relapses", OperationId = "RecordRelapse")]
    public static Task<IResult> Post(string patientId, RecordRelapse? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
