using System.Globalization;
using Marten;
using Timeline.Projections.Patients;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Reading;

public static class GetTimelineEndpoint
{
    /// <summary>
    /// The derived timeline with corrections applied: now, as it stood at a past recorded time (asOf), or
    /// after the first n events (version). Always replayed from the stream, the one source of truth.
    /// </summary>
    [WolverineGet("/api/patients/{patientId}/timeline", OperationId = "GetTimeline")]
    public static async Task<IResult> Get(string patientId, string? asOf, long? version, IDocumentStore store, HttpContext http)
    {
        await using var session = store.QuerySession();
        var at = ParseAsOf(asOf, out var problem);
        if (problem is not null) return problem;
        if (version is < 1) return Problems.Invalid("version", "version must be 1 or more.");

        var events = await session.Events.FetchStreamAsync(patientId, version ?? 0, at, token: http.RequestAborted);
        if (events.Count == 0)
        {
            if (at is null && version is null) return Problems.UnknownPatient(patientId);
            var exists = await session.Events.FetchStreamStateAsync(patientId, http.RequestAborted) is not null;
            return exists
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not yet recorded.",
                    detail: $"Patient '{patientId}' had no recorded events at {asOf}.")
                : Problems.UnknownPatient(patientId);
        }
        var chart = PatientChart.Replay(patientId, events);
        http.Response.Headers.ETag = $"\"{chart.Version}\"";
        return Results.Ok(PatientTimeline.From(chart) with { AsOf = at });
    }

    /// <summary>An ISO-8601 timestamp; without an offset it is read as UTC.</summary>
    public static DateTimeOffset? ParseAsOf(string? asOf, out IResult? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(asOf)) return null;
        if (DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        problem = Problems.Invalid("asOf", $"asOf '{asOf}' is not an ISO-8601 timestamp such as 2026-01-31T12:00:00Z.");
        return null;
    }
}
