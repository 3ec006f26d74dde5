using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

public sealed record EnrolPatient(string? PatientId, DateOnly? BirthDate, Sex? Sex) : IFactRequest
{
    public ClinicalFact ToFact(FieldErrors errors) =>
        new PatientEnrolled(errors.Required(BirthDate, "birthDate"), errors.Required(Sex, "sex"));
}

public static class EnrolPatientEndpoint
{
    [WolverinePost("/api/patients", OperationId = "EnrolPatient")]
    public static async Task<IResult> Post(EnrolPatient? request, PatientStreams streams, HttpContext http)
    {
        if (request is null) return Problems.Invalid("body", "A JSON body is required.");
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.PatientId)) errors.Add("patientId", "patientId is required.");
        else if (!FieldErrors.PatientIdPattern().IsMatch(request.PatientId))
            errors.Add("patientId", "patientId must be 1–64 letters, digits, '-' or '_', starting with a letter or digit.");
        var fact = (PatientEnrolled)request.ToFact(errors);
        if (errors.Any) return errors.ToProblem();
        if (fact.BirthDate > streams.Today) return Problems.Invalid("birthDate", $"birthDate {fact.BirthDate:yyyy-MM-dd} is in the future.");
        return await streams.Enrol(request.PatientId!, fact, http);
    }
}
