using Marten;
using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;
using Timeline.Reading;
using Timeline.Recording;

namespace Timeline.Analyses;

/// <summary>Which events an answer was computed from: the last event sequence it saw, and the asOf asked for.</summary>
public sealed record Basis(long LastSequence, DateTimeOffset? AsOf, DateTimeOffset ComputedAt);

/// <summary>The per-patient outcomes an analysis runs on, now or as of a past recorded time.</summary>
public sealed record CohortSnapshot(IReadOnlyList<PatientOutcome> Outcomes, Basis Basis)
{
    /// <summary>
    /// Now: from the stored charts (kept in the append's transaction). As of a past time: from exactly the
    /// events recorded up to then, replayed, so a published figure can be reproduced after later corrections.
    /// </summary>
    public static async Task<CohortSnapshot> LoadAsync(IQuerySession session, string? histologyCode, DateTimeOffset? asOf, TimeProvider clock, CancellationToken ct)
    {
        List<PatientChart> charts;
        if (asOf is null)
        {
            charts = (await session.Query<PatientChart>().ToListAsync(ct)).ToList();
        }
        else
        {
            var events = await session.Events.QueryAllRawEvents().Where(e => e.Timestamp <= asOf.Value)
                .OrderBy(e => e.Sequence).ToListAsync(ct);
            charts = events.GroupBy(e => e.StreamKey!)
                .Select(g => PatientChart.Replay(g.Key, g)).ToList();
        }
        var lastSequence = charts.Count == 0 ? 0 : charts.Max(c => c.LastSequence);
        var outcomes = charts.Where(c => histologyCode is null || c.Histology == histologyCode)
            .OrderBy(c => c.Id, StringComparer.Ordinal).Select(PatientOutcome.From).ToList();
        return new CohortSnapshot(outcomes, new Basis(lastSequence, asOf, clock.GetUtcNow()));
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
