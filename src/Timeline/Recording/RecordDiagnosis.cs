using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

/// <param name="Histology">A study name ("osteosarcoma") or an ICD-O-3 morphology code ("9180/3").</param>
public sealed record RecordDiagnosis(DateOnly? Date, string? Histology, string? PrimarySite, bool? Metastatic) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors)
    {
        var date = errors.Required(Date, "date");
        var code = Histologies.ToCode(Histology);
        if (string.IsNullOrWhiteSpace(Histology)) errors.Add("histology", "histology is required.");
        else if (code is null)
            errors.Add("histology", $"histology '{Histology}' is neither a known name nor an ICD-O-3 morphology code such as 9180/3.");
        var site = errors.Text(PrimarySite, "primarySite", required: false);
        return new DiagnosisRecorded(date, code ?? "", site.Length == 0 ? null : site, Metastatic);
    }

    protected override IEnumerable<(string Field, bool Given)> OptionalFields =>
        [("primarySite", !string.IsNullOrWhiteSpace(PrimarySite)), ("metastatic", Metastatic is not null)];
}

public static class RecordDiagnosisEndpoint
{
    [WolverinePost("/api/patients/{patientId}/diagnosis", OperationId = "RecordDiagnosis")]
    public static Task<IResult> Post(string patientId, RecordDiagnosis? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
