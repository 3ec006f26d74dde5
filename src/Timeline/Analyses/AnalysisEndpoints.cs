using Marten;
using Timeline.Projections.Study;
using Wolverine.Http;

namespace Timeline.Analyses;

/// <summary>The naive comparison; <paramref name="Bias"/> says what it credits to the drug (DOMAIN.md, "Comparisons").</summary>
public sealed record OverallSurvivalAnswer(IReadOnlyList<GroupSurvival> Groups, LogRankSummary? LogRank, IReadOnlyList<Exclusion> Excluded, string Unit, Basis Basis,
    CoxSummary? Cox = null, IReadOnlyList<string>? Warnings = null, string? Bias = null, IReadOnlyList<MissingValueCount>? MissingValues = null)
{
    public const string ImmortalTime = "Naive comparison: the group is fixed at the anchor, so the time before the first mTKI dose counts for the drug "
        + "(immortal-time bias). See /api/analyses/overall-survival/time-dependent and /landmark.";
}
public sealed record TimeToProgressionAnswer(SurvivalSummary Ttp, SurvivalSummary Pfs, string Unit, Basis Basis, IReadOnlyList<MissingValueCount>? MissingValues = null);

/// <summary>The study's figures, computed on request from the current charts or from the events known at asOf.</summary>
public static class AnalysisEndpoints
{
    [WolverineGet("/api/analyses/overall-survival", OperationId = "OverallSurvival")]
    public static Task<IResult> OverallSurvival(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var r = StudyAnalyses.OverallSurvival(s.Outcomes, q.Unit);
            return new OverallSurvivalAnswer(r.Groups, r.LogRank, r.Excluded, Name(q), s.Basis, r.Cox, r.Warnings ?? [], OverallSurvivalAnswer.ImmortalTime,
                MissingValueCounts.Of(MissingValueCounts.OverallSurvivalPatients(s.Outcomes)));
        }, ct);

    [WolverineGet("/api/analyses/time-to-progression", OperationId = "TimeToProgression")]
    public static Task<IResult> TimeToProgression(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var r = StudyAnalyses.TimeToProgression(s.Outcomes, q.Unit);
            return new TimeToProgressionAnswer(r.Ttp, r.Pfs, Name(q), s.Basis, MissingValueCounts.Of(MissingValueCounts.MtkiPatients(s.Outcomes)));
        }, ct);

    [WolverineGet("/api/analyses/response", OperationId = "Response")]
    public static Task<IResult> Response(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        Answer(histology, unit, asOf, store, clock, (_, s) => Flatten(StudyAnalyses.Response(s.Outcomes), s.Basis, MissingValueCounts.MtkiPatients(s.Outcomes)), ct);

    [WolverineGet("/api/analyses/cohort", OperationId = "Cohort")]
    public static Task<IResult> Cohort(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        Answer(histology, unit, asOf, store, clock, (_, s) => Flatten(StudyAnalyses.Cohort(s.Outcomes), s.Basis, s.Outcomes), ct);

    internal static async Task<IResult> Answer(string? histology, string? unit, string? asOf, IDocumentStore store, TimeProvider clock,
        Func<AnalysisQuery, CohortSnapshot, object> compute, CancellationToken ct)
    {
        var query = AnalysisQuery.Parse(histology, unit, asOf, out var problem);
        if (query is null) return problem!;
        var snapshot = await CohortSnapshot.LoadAsync(store, query.HistologyCode, query.AsOf, clock, ct);
        return Results.Ok(compute(query, snapshot));
    }

    internal static string Name(AnalysisQuery q) => q.Unit.ToString().ToLowerInvariant();

    /// <summary>The report's own fields at the top level of the answer, with the basis and the covered patients' missing values beside them.</summary>
    static Dictionary<string, object?> Flatten(object report, Basis basis, IEnumerable<Projections.Patients.PatientOutcome> covered)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToElement(report, System.Text.Json.JsonSerializerOptions.Web);
        var answer = json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        answer["basis"] = basis;
        answer["missingValues"] = MissingValueCounts.Of(covered);
        return answer;
    }
}
