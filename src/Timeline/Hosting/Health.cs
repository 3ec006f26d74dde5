using Marten;
using Wolverine.Http;

namespace Timeline.Hosting;

public sealed record HealthReport(string Status, string Database);

public static class HealthEndpoint
{
    /// <summary>200 when the event store answers, 503 when it does not.</summary>
    [WolverineGet("/health", OperationId = "Health")]
    public static async Task<IResult> Get(IDocumentStore store, CancellationToken ct)
    {
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", ct);
            return Results.Ok(new HealthReport("healthy", "reachable"));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException || ExceptionProblems.IsDatabaseUnavailable(e))
        {
            DatabasePool.Clear(store);
            return Results.Json(new HealthReport("unhealthy", "unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
