using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

public sealed record RecordDeath(DateOnly? Date, DeathCause? Cause) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors) => new DeathRecorded(errors.Required(Date, "date"), Cause);

    protected override IEnumerable<(string Field, bool Given)> OptionalFields => [("cause", Cause is not null)];
}

public static class RecordDeathEndpoint
{
    [WolverinePost("/api/patients/{patientId}/death", OperationId = "RecordDeath")]
    public static Task<IResult> Post(string patientId, RecordDeath? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
