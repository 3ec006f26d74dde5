using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

/// <param name="Line">Taken from the route; in a correction's replacement it is part of the body.</param>
public sealed record EndTreatmentLine(DateOnly? Date, LineEndReason? Reason, int? Line) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors) =>
        new TreatmentLineEnded(errors.Line(Line), errors.Required(Date, "date"), errors.Required(Reason, "reason"));
}

public static class EndTreatmentLineEndpoint
{
    [WolverinePost("/api/patients/{patientId}/treatment-lines/{line}/end", OperationId = "EndTreatmentLine")]
    public static Task<IResult> Post(string patientId, int line, EndTreatmentLine? request, PatientStreams streams, HttpContext http)
    {
        if (request?.Line is { } inBody && inBody != line)
            return Task.FromResult(Problems.Invalid("line", $"line {inBody} in the body differs from line {line} in the route."));
        return streams.Into(patientId, request is null ? null : request with { Line = line }, http);
    }
}
