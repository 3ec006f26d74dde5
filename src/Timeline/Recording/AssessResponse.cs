using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

/// <param name="Category">RECIST 1.1: CR, PR, SD, PD or NE.</param>
public sealed record AssessResponse(DateOnly? Date, int? Line, RecistCategory? Category) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors) =>
        new ResponseAssessed(errors.Required(Date, "date"), errors.Line(Line), errors.Required(Category, "category"));
}

public static class AssessResponseEndpoint
{
    [WolverinePost("/api/patients/{patientId}/responses", OperationId = "AssessResponse")]
    public static Task<IResult> Post(string patientId, AssessResponse? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
