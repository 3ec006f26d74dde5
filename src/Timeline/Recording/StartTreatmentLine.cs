using Timeline.Projections.Events;
using Wolverine.Http;

namespace Timeline.Recording;

public sealed record StartTreatmentLine(int? Line, DateOnly? StartDate, string? Regimen, IReadOnlyList<string?>? Agents) : FactRequest
{
    protected override ClinicalFact Read(FieldErrors errors)
    {
        var line = errors.Line(Line);
        var start = errors.Required(StartDate, "startDate");
        var regimen = errors.Text(Regimen, "regimen", required: false);
        var agents = new List<string>();
        if (Agents is null || Agents.Count == 0) errors.Add("agents", "agents must name at least one drug.");
        else if (Agents.Count > FieldErrors.MaxAgents) errors.Add("agents", $"agents lists more than {FieldErrors.MaxAgents} drugs.");
        else
            for (var i = 0; i < Agents.Count; i++) agents.Add(errors.Text(Agents[i], $"agents[{i}]", 100));
        return new TreatmentLineStarted(line, start, regimen.Length == 0 ? null : regimen, agents);
    }

    protected override IEnumerable<(string Field, bool Given)> OptionalFields => [("regimen", !string.IsNullOrWhiteSpace(Regimen))];
}

public static class StartTreatmentLineEndpoint
{
    [WolverinePost("/api/patients/{patientId}/treatment-lines", OperationId = "StartTreatmentLine")]
    public static Task<IResult> Post(string patientId, StartTreatmentLine? request, PatientStreams streams, HttpContext http) =>
        streams.Into(patientId, request, http);
}
