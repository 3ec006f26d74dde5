using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Timeline.Recording;

namespace Timeline.Hosting;

/// <summary>
/// The last line of defence: a body that cannot be read is the client's 400 naming the field, a database
/// that cannot be reached is a 503 to retry later; anything else is a 500 problem without internals.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var json = exception as JsonException ?? exception.InnerException as JsonException;
        IResult result;
        if (json is not null)
            result = Problems.Invalid(JsonErrors.FieldOf(json) ?? "body", JsonErrors.Describe(json));
        else if (exception is BadHttpRequestException bad)
            result = Problems.Invalid("body", bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large." : "The body could not be read.");
        else if (IsDatabaseUnavailable(exception))
        {
            logger.LogWarning("Database unavailable: {Message}", exception.Message);
            result = Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The database is unavailable.",
                detail: "Nothing was recorded. Retry in a moment.");
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            result = Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected error.",
                detail: "The request failed; nothing acknowledged was lost. The error is logged.");
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }

    static bool IsDatabaseUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException) return true;
            if (x is PostgresException pg && pg.SqlState.StartsWith("57P", StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
