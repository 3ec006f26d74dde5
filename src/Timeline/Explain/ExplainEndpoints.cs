using Marten;
using Timeline.Analyses;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Projections.Study;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Explain;

/// <summary>
/// "Which patients make this number?" for every figure: the same filters, unit and asOf as the figure, read from
/// the same rows, so the lists add up to the figure (the events at a curve step, the number at risk, a response
/// count, a cohort tally). Long lists page with <c>limit</c> (1–10,000) and <c>after</c> (a patient id); the totals
/// stay the whole part's.
/// </summary>
public static class ExplainEndpoints
{
    [WolverineGet("/api/analyses/overall-survival/patients", OperationId = "OverallSurvivalPatients")]
    public static Task<IResult> OverallSurvival(string? group, double? time, double? atRisk, string? histology, string? unit, string? asOf, int? limit, string? after,
        IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        if (FigurePatients.CheckPage(limit, after) is { } badPage) return Task.FromResult(badPage);
        if (group is not (null or "" or "mtki" or "control" or "excluded"))
            return Task.FromResult(Problems.Invalid("group", $"group '{group}' must be mtki, control or excluded."));
        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            if (group == "excluded")
            {
                var excluded = s.Outcomes.Where(o => o.ExclusionReason is not null)
                    .Select(o => FigurePatients.Item(o, null, q.Unit, null, http)).ToList();
                return FigurePatients.Answer("overall-survival", new() { ["group"] = "excluded" }, excluded, q, s.Basis, limit, after, http);
            }
            var subjects = s.Outcomes
                .Where(o => o.OverallSurvival is not null && (o.Group is not null && (string.IsNullOrEmpty(group) ? StudyAnalyses.SurvivalGroups.Contains(o.Group) : o.Group == group)))
                .Select(o => (o, o.OverallSurvival!));
            var listed = FigurePatients.AtTime(subjects, q.Unit, time, atRisk)
                .Select(x => FigurePatients.Item(x.Outcome, x.Interval, q.Unit, x.Outcome.Sources?.OverallSurvivalEnd, http)).ToList();
            return FigurePatients.Answer("overall-survival", Part(("group", group), ("time", time), ("atRisk", atRisk)), listed, q, s.Basis, limit, after, http);
        }, http.RequestAborted);
    }

    [WolverineGet("/api/analyses/time-to-progression/patients", OperationId = "TimeToProgressionPatients")]
    public static Task<IResult> TimeToProgression(string? measure, double? time, double? atRisk, string? histology, string? unit, string? asOf, int? limit, string? after,
        IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        if (FigurePatients.CheckPage(limit, after) is { } badPage) return Task.FromResult(badPage);
        if (measure is not (null or "" or "ttp" or "pfs"))
            return Task.FromResult(Problems.Invalid("measure", $"measure '{measure}' must be ttp or pfs."));
        var pfs = measure == "pfs";
        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var subjects = s.Outcomes.Where(o => o.StartedMtki)
                .Select(o => (o, pfs ? o.ProgressionFreeSurvival! : o.TimeToProgression!));
            var listed = FigurePatients.AtTime(subjects, q.Unit, time, atRisk)
                .Select(x => FigurePatients.Item(x.Outcome, x.Interval, q.Unit,
                    pfs ? x.Outcome.Sources?.ProgressionFreeSurvivalEnd : x.Outcome.Sources?.TimeToProgressionEnd, http)).ToList();
            return FigurePatients.Answer("time-to-progression", Part(("measure", pfs ? "pfs" : "ttp"), ("time", time), ("atRisk", atRisk)), listed, q, s.Basis, limit, after, http);
        }, http.RequestAborted);
    }

    [WolverineGet("/api/analyses/response/patients", OperationId = "ResponsePatients")]
    public static Task<IResult> Response(string? category, string? drug, string? histology, string? unit, string? asOf, int? limit, string? after,
        IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        if (FigurePatients.CheckPage(limit, after) is { } badPage) return Task.FromResult(badPage);
        RecistCategory? wanted = null;
        if (!string.IsNullOrEmpty(category))
        {
            if (category is not ("CR" or "PR" or "SD" or "PD" or "NE" or "responders"))
                return Task.FromResult(Problems.Invalid("category", $"category '{category}' must be CR, PR, SD, PD, NE or responders."));
            if (category != "responders") wanted = Enum.Parse<RecistCategory>(category);
        }
        return AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var listed = s.Outcomes.Where(o => o.StartedMtki)
                .Where(o => string.IsNullOrEmpty(drug) || (o.FirstMtkiDrug ?? "unknown") == drug)
                .Where(o => category == "responders" ? o.BestOverallResponse is RecistCategory.CR or RecistCategory.PR
                    : wanted is null || o.BestOverallResponse == wanted)
                .Select(o => FigurePatients.Item(o, null, q.Unit, null, http)).ToList();
            return FigurePatients.Answer("response", Part(("category", category), ("drug", drug)), listed, q, s.Basis, limit, after, http);
        }, http.RequestAborted);
    }

    [WolverineGet("/api/analyses/cohort/patients", OperationId = "CohortPatients")]
    public static Task<IResult> Cohort(bool? mtki, string? drug, string? histology, string? unit, string? asOf, int? limit, string? after,
        IDocumentStore store, TimeProvider clock, HttpContext http) =>
        FigurePatients.CheckPage(limit, after) is { } badPage ? Task.FromResult(badPage) :
        AnalysisEndpoints.Answer(histology, unit, asOf, store, clock, (q, s) =>
        {
            var listed = s.Outcomes
                .Where(o => mtki is null || o.StartedMtki == mtki)
                .Where(o => string.IsNullOrEmpty(drug) || (o.StartedMtki && (o.FirstMtkiDrug ?? "unknown") == drug))
                .Select(o => FigurePatients.Item(o, null, q.Unit, null, http)).ToList();
            return FigurePatients.Answer("cohort", Part(("mtki", mtki?.ToString().ToLowerInvariant()), ("drug", drug)), listed, q, s.Basis, limit, after, http);
        }, http.RequestAborted);

    /// <summary>The part of the figure asked for, as given (unset parameters left out).</summary>
    static Dictionary<string, string> Part(params (string Name, object? Value)[] parameters) =>
        parameters.Where(p => p.Value is not null && p.Value as string != "")
            .ToDictionary(p => p.Name, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!);
}
