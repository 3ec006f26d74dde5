using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

/// <param name="Term">CTCAE term.</param>
/// <param name="Grade">CTCAE grade, 1 (mild) to 5 (death).</param>
public sealed record RecordAdverseEvent(DateOnly? Date, int? Line, string? Term, int? Grade) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors)
    {
        var date = errors.Required(Date, "date");
        int? line = Line is null ? null : errors.Line(Line);
        var term = errors.Text(Term, "term");
        var grade = errors.Required(Grade, "grade");
        if (Grade is < 1 or > 5) errors.Add("grade", "grade must be a CTCAE grade from 1 to 5.");
        return new AdverseEventRecorded(date, line, term, grade);
    }

    protected override IEnumerable<(string Field, bool Given)> OptionalFields => [("line", Line is not null)];
}

public static class RecordAdverseEventEndpoint
{
    [WolverinePost("/api/patients/{patientId}/adverse-events", OperationId = "RecordAdverseEvent")]
    public static Task<IResult> Post(string patientId, RecordAdverseEvent? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
