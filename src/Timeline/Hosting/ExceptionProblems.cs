using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Timeline.Access;
using Timeline.Recording;

namespace Timeline.Hosting;

/// <summary>
/// The last line of defence: a body that cannot be read is the client's 400 naming the field (413 when it is
/// too large), a database that cannot be reached is a 503 to retry later; anything else is a 500 problem
/// without internals. Logs name the route template, never the path (it carries a study id) nor the body.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger, IDocumentStore store) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var json = exception as JsonException ?? exception.InnerException as JsonException;
        IResult result;
        if (json is not null)
            result = Problems.Invalid(JsonErrors.FieldOf(json) ?? "body", JsonErrors.Describe(json));
        else if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            result = AccessProblems.TooLarge(AccessPolicy.For(httpContext.Request.Method, Route(httpContext)).MaxBodyBytes ?? 0);
        else if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } stalled)
            result = Results.Problem(statusCode: StatusCodes.Status408RequestTimeout, title: "The upload stalled.",
                detail: $"{stalled.Message} Batches already committed are kept; send the file again to import the rest.",
                extensions: new Dictionary<string, object?> { ["field"] = "body" });
        else if (exception is BadHttpRequestException)
            result = Problems.Invalid("body", "The body could not be read.");
        else if (FindPostgres(exception) is { SqlState: "22021" or "22P05" })
            // NUL or other text PostgreSQL cannot store, somewhere in the request (a path segment, a query value).
            result = Problems.Invalid("body", "The request contains characters that cannot be stored (such as NUL).");
        else if (IsDatabaseUnavailable(exception))
        {
            logger.LogWarning("Database unavailable on {Method} {Route}: {Message}", httpContext.Request.Method, Route(httpContext), exception.Message);
            DatabasePool.Clear(store);
            httpContext.Response.Headers.RetryAfter = "2";
            result = Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The database is unavailable.",
                detail: "Nothing was recorded. Retry in a moment.");
        }
        else if (httpContext.RequestAborted.IsCancellationRequested && exception is OperationCanceledException)
        {
            return true; // the client went away; nobody is left to answer
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Method} {Route}", httpContext.Request.Method, Route(httpContext));
            result = Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected error.",
                detail: "The request failed; nothing acknowledged was lost. The error is logged.");
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The route template ("/api/patients/{patientId}/death"), not the path with its study id.</summary>
    /// <remarks>The exception handler clears the endpoint before it runs; the feature keeps the one that failed.</remarks>
    static string Route(HttpContext http) =>
        ((http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint()) as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";

    static PostgresException? FindPostgres(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is PostgresException pg) return pg;
        return null;
    }

    public static bool IsDatabaseUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException) return true;
            // 57P01–57P05: the server is shutting down, starting up or went away; 08xxx: the connection failed.
            if (x is PostgresException pg && (pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal))) return true;
            if (x is NpgsqlException { InnerException: IOException or EndOfStreamException }) return true;
        }
        return false;
    }
}

/// <summary>
/// After the database restarts, every idle pooled connection is dead; Npgsql finds out one request at a time.
/// Emptying the pool on the first failure lets the next request open a fresh connection, so the app recovers
/// as soon as the server is back.
/// </summary>
public static class DatabasePool
{
    public static void Clear(IDocumentStore store)
    {
        if (store.Storage.Database is Weasel.Postgresql.PostgresqlDatabase database) database.DataSource.Clear();
    }
}
