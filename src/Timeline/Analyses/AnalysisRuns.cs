using System.Text.Json;
using JasperFx.Events;
using Marten;
using Timeline.Projections.Events;
using Timeline.Reading;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Analyses;

public sealed record FigureChange(string Figure, JsonElement? Before, JsonElement? After);

/// <summary>An event recorded between two runs: the corrections carry their target and reason.</summary>
public sealed record ChangeCause(long Sequence, string PatientId, Guid EventId, string Type, Guid? CorrectedEventId, string? Reason, string? RecordedBy, DateTimeOffset RecordedAt);

public sealed record RunDiff(RunSummary From, RunSummary To, IReadOnlyList<FigureChange> Changes, IReadOnlyList<ChangeCause> Causes);

public static class AnalysisRunsEndpoints
{
    [WolverineGet("/api/analyses/runs", OperationId = "ListRuns")]
    public static async Task<IReadOnlyList<RunSummary>> List(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var runs = await session.Query<AnalysisRun>().OrderBy(r => r.CreatedAt).ToListAsync(ct);
        return runs.Select(Summary).ToList();
    }

    [WolverineGet("/api/analyses/runs/{runId}", OperationId = "GetRun")]
    public static async Task<IResult> Get(Guid runId, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var run = await session.LoadAsync<AnalysisRun>(runId, ct);
        return run is null ? UnknownRun(runId) : Results.Ok(run);
    }

    /// <summary>The most events one page of a diff lists, and how many unless ?limit= says otherwise.</summary>
    public const int MaxDiffPage = 10_000, DefaultDiffPage = 1_000;

    /// <summary>
    /// The figures that changed between two runs and, page by page, the events recorded between them (oldest
    /// first; ?limit= events after ?after=&lt;sequence&gt;). Only that page is read from the database: a diff
    /// across the whole log would otherwise hold every event in memory. A next page is named in
    /// <c>Link: &lt;…&gt;; rel="next"</c>.
    /// </summary>
    [WolverineGet("/api/analyses/runs/{a}/diff/{b}", OperationId = "DiffRuns")]
    public static async Task<IResult> Diff(Guid a, Guid b, int? limit, long? after, IDocumentStore store, HttpContext http, CancellationToken ct)
    {
        if (limit is < 1 or > MaxDiffPage) return Problems.Invalid("limit", $"limit must be between 1 and {MaxDiffPage}.");
        if (after is < 0) return Problems.Invalid("after", "after must be a sequence number, 0 or more.");
        var pageSize = limit ?? DefaultDiffPage;
        await using var session = store.QuerySession();
        var from = await session.LoadAsync<AnalysisRun>(a, ct);
        var to = await session.LoadAsync<AnalysisRun>(b, ct);
        if (from is null) return UnknownRun(a);
        if (to is null) return UnknownRun(b);

        var was = FigureTable.Flatten(from.Figures);
        var now = FigureTable.Flatten(to.Figures);
        var changes = was.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(k => !was.TryGetValue(k, out var x) || !now.TryGetValue(k, out var y) || x.GetRawText() != y.GetRawText())
            .Select(k => new FigureChange(k, was.TryGetValue(k, out var x) ? x : null, now.TryGetValue(k, out var y) ? y : null))
            .ToList();

        var (low, high) = (Math.Min(from.LastSequence, to.LastSequence), Math.Max(from.LastSequence, to.LastSequence));
        var start = Math.Max(low, after ?? 0);
        // One more than the page: whether a next page exists, without counting the rest.
        var events = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > start && e.Sequence <= high)
            .OrderBy(e => e.Sequence).Take(pageSize + 1).ToListAsync(ct);
        var page = events.Take(pageSize).ToList();
        if (events.Count > pageSize)
            http.Response.Headers.Link = $"</api/analyses/runs/{a}/diff/{b}?limit={pageSize}&after={page[^1].Sequence}>; rel=\"next\"";
        return Results.Ok(new RunDiff(Summary(from), Summary(to), changes, page.Select(Cause).ToList()));
    }

    static ChangeCause Cause(IEvent e)
    {
        var (target, reason) = e.Data switch
        {
            FactCorrected c => ((Guid?)c.EventId, c.Reason),
            FactRetracted r => (r.EventId, r.Reason),
            _ => (null, null),
        };
        return new ChangeCause(e.Sequence, e.StreamKey ?? "", e.Id, GetHistoryEndpoint.TypeName(e.Data), target, reason,
            string.IsNullOrEmpty(e.UserName) ? null : e.UserName, e.Timestamp);
    }

    static RunSummary Summary(AnalysisRun r) => new(r.Id, r.CreatedAt, r.LastSequence, r.ElapsedMs, r.RequestedBy);

    static IResult UnknownRun(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown analysis run.", detail: $"No analysis run with id {id}.");
}

/// <summary>Figures as a flat table of named values ("overallSurvival.logRank.chiSquare"), curves left out, for diffs.</summary>
public static class FigureTable
{
    static readonly string[] Keys = ["name", "histology", "drug", "patientId"];

    public static Dictionary<string, JsonElement> Flatten(RunFigures figures)
    {
        var table = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        Walk(JsonSerializer.SerializeToElement(figures, JsonSerializerOptions.Web), "", table);
        return table;
    }

    static void Walk(JsonElement e, string path, Dictionary<string, JsonElement> table)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject().Where(p => p.Name != "curve"))
                    Walk(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", table);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    var key = item.ValueKind == JsonValueKind.Object
                        ? Keys.Select(k => item.TryGetProperty(k, out var v) ? v.ToString() : null).FirstOrDefault(v => v is not null)
                        : null;
                    Walk(item, $"{path}[{key ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]", table);
                    i++;
                }
                break;
            default:
                table[path] = e.Clone();
                break;
        }
    }
}
