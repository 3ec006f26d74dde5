using Marten;
using Timeline.Projections.Events;
using Timeline.Projections.Review;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Review;

/// <summary>The query worklist, and one query with its whole dialogue.</summary>
public static class ListQueriesEndpoint
{
    /// <summary>Oldest first, so the longest-waiting query is on top. Filters: ?status=open|answered|closed, ?patientId=.</summary>
    [WolverineGet("/api/queries", OperationId = "ListQueries")]
    public static async Task<IResult> Get(string? status, string? patientId, IDocumentStore store, CancellationToken ct)
    {
        QueryStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<QueryStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(status[0]))
                return Problems.Invalid("status", $"status '{status}' is not one of open, answered, closed.");
            wanted = parsed;
        }
        await using var session = store.QuerySession();
        IQueryable<DataQuery> queries = session.Query<DataQuery>();
        if (wanted is { } s) queries = queries.Where(q => q.Status == s);
        if (!string.IsNullOrEmpty(patientId)) queries = queries.Where(q => q.PatientId == patientId);
        return Results.Ok(await queries.OrderBy(q => q.RaisedAt).ToListAsync(ct));
    }

    [WolverineGet("/api/queries/{queryId}", OperationId = "GetQuery")]
    public static async Task<IResult> GetOne(string queryId, IDocumentStore store, CancellationToken ct)
    {
        if (!QueryDialogueEndpoint.QueryIdPattern().IsMatch(queryId)) return ReviewProblems.UnknownQuery(queryId);
        await using var session = store.QuerySession();
        return await session.LoadAsync<DataQuery>(queryId, ct) is { } query ? Results.Ok(query) : ReviewProblems.UnknownQuery(queryId);
    }
}
