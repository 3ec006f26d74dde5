using Marten;
using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;
using Timeline.Projections.ReadModels;
using Timeline.Reading;
using Timeline.Recording;

namespace Timeline.Analyses;

/// <summary>Which events an answer was computed from: the last event sequence it saw, and the asOf asked for.</summary>
public sealed record Basis(long LastSequence, DateTimeOffset? AsOf, DateTimeOffset ComputedAt);

/// <summary>The per-patient outcomes an analysis runs on, now or as of a past recorded time.</summary>
public sealed record CohortSnapshot(IReadOnlyList<PatientOutcome> Outcomes, Basis Basis)
{
    /// <summary>
    /// From the analyses' read model (<see cref="AnalysisInputs"/>): now, the current rows (opened in each append's
    /// transaction); as of a past time, the rows valid then, which are exactly the states the events recorded up to
    /// then give, so a published figure can be reproduced after later corrections.
    /// </summary>
    public static async Task<CohortSnapshot> LoadAsync(IDocumentStore store, string? histologyCode, DateTimeOffset? asOf, TimeProvider clock, CancellationToken ct)
    {
        var state = await AnalysisInputsReader.ReadAsync(store, histologyCode, asOf, ct);
        return new CohortSnapshot(state.Outcomes, new Basis(state.LastSequence, asOf, clock.GetUtcNow()));
    }
}

/// <summary>The query every analysis route accepts: histology (name or code), unit, asOf.</summary>
public sealed record AnalysisQuery(string? HistologyCode, TimeUnit Unit, DateTimeOffset? AsOf)
{
    public static AnalysisQuery? Parse(string? histology, string? unit, string? asOf, out IResult? problem)
    {
        var code = ListPatientsEndpoint.ParseHistologyFilter(histology, out problem);
        if (problem is not null) return null;
        TimeUnit timeUnit;
        switch (unit?.Trim().ToLowerInvariant())
        {
            case null or "" or "months": timeUnit = TimeUnit.Months; break;
            case "weeks": timeUnit = TimeUnit.Weeks; break;
            case "days": timeUnit = TimeUnit.Days; break;
            default:
                problem = Problems.Invalid("unit", $"unit '{unit}' must be days, weeks or months.");
                return null;
        }
        var at = GetTimelineEndpoint.ParseAsOf(asOf, out problem);
        return problem is null ? new AnalysisQuery(code, timeUnit, at) : null;
    }
}
