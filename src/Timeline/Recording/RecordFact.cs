namespace Timeline.Recording;

/// <summary>The common path of every recording route but enrolment: body checks, then the clinical rules and soft checks, then the append.</summary>
public static class RecordFact
{
    public static Task<IResult> Into(this PatientStreams streams, string patientId, IFactRequest? request, HttpContext http)
    {
        if (request is null) return Task.FromResult(Problems.Invalid("body", "A JSON body is required."));
        var errors = new FieldErrors();
        var fact = request.ToFact(errors);
        if (errors.Any) return Task.FromResult(errors.ToProblem());
        // The clinical rules first (never overridable), then the soft checks the body's override does not name.
        return streams.Append(patientId, http,
            chart => ClinicalRules.CheckRecording(chart, fact, streams.Today) is { } broken ? broken
                : SoftChecks.Refusal(SoftChecks.Others(chart), fact) is { } soft ? Decision.Refuse(soft)
                : Decision.Append(fact));
    }
}
