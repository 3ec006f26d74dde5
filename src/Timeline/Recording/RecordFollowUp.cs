using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

/// <summary>The date the patient was last known to be alive.</summary>
public sealed record RecordFollowUp(DateOnly? Date) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors) => new FollowUpRecorded(errors.Required(Date, "date"));
}

public static class RecordFollowUpEndpoint
{
    [WolverinePost("/api/patients/{patientId}/follow-ups", OperationId = "RecordFollowUp")]
    public static Task<IResult> Post(string patientId, RecordFollowUp? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
