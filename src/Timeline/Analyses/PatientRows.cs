using Marten;
using Timeline.Projections.Analysis;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Patients;
using Wolverine.Http;

namespace Timeline.Analyses;

/// <summary>
/// One row per patient of the analysis data set, ready for R or Python (times in the requested unit), with the
/// events each value came from (the anchor, the end of OS, TTP and PFS, the first mTKI start, the best response).
/// </summary>
public sealed record PatientRow(
    string PatientId, string? Histology, string? HistologyName, string? Group, string? ExclusionReason,
    DateOnly? Anchor, string? AnchorKind, double? OsTime, bool? OsEvent, DateOnly? FirstMtkiStart, string? FirstMtkiDrug,
    int? AgeAtMtkiStart, double? TtpTime, bool? TtpEvent, double? PfsTime, bool? PfsEvent, string? BestOverallResponse,
    DateOnly? BirthDate, string? Sex, bool? Metastatic, DateOnly? LastContact,
    Guid? AnchorEventId, Guid? OsEndEventId, Guid? MtkiStartEventId, Guid? TtpEndEventId, Guid? PfsEndEventId, Guid? BestResponseEventId)
{
    public static PatientRow From(PatientOutcome o, TimeUnit unit)
    {
        double? T(SurvivalInterval? i) => i is null ? null : TimeUnits.FromDays(i.Days, unit);
        return new(o.PatientId, o.Histology, Histologies.NameOf(o.Histology), o.Group, o.ExclusionReason,
            o.Anchor?.Date, o.Anchor?.Kind, T(o.OverallSurvival), o.OverallSurvival?.Event, o.FirstMtkiStart, o.FirstMtkiDrug,
            o.AgeAtMtkiStart, T(o.TimeToProgression), o.TimeToProgression?.Event, T(o.ProgressionFreeSurvival),
            o.ProgressionFreeSurvival?.Event, o.BestOverallResponse?.ToString(),
            o.BirthDate, o.Sex?.ToString().ToLowerInvariant(), o.Metastatic, o.LastContact,
            o.Sources?.Anchor, o.Sources?.OverallSurvivalEnd, o.Sources?.MtkiStart, o.Sources?.TimeToProgressionEnd,
            o.Sources?.ProgressionFreeSurvivalEnd, o.Sources?.BestResponse);
    }
}

public sealed record PatientRowsAnswer(IReadOnlyList<PatientRow> Patients, string Unit, Basis Basis);

public static class PatientRowsEndpoint
{
    [WolverineGet("/api/analyses/patients", OperationId = "AnalysisPatients")]
    public static Task<IResult> Get(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
            new PatientRowsAnswer(s.Outcomes.Select(o => PatientRow.From(o, q.Unit)).ToList(), AnalysisEndpoints.Name(q), s.Basis), ct);
}
