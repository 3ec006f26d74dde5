using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

public sealed record RecordProgression(DateOnly? Date) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors) => new ProgressionRecorded(errors.Required(Date, "date"));
}

public static class RecordProgressionEndpoint
{
    [WolverinePost("/api/patients/{patientId}/progressions", OperationId = "RecordProgression")]
    public static Task<IResult> Post(string patientId, RecordProgression? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
