using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using Timeline.Projections.Patients;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Reading;

public static partial class GetTimelineEndpoint
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

    /// <summary>
    /// The one parser of a recorded-time parameter (the timeline's and every analysis's asOf): ISO-8601 date
    /// and time with seconds optional, a fraction of up to 7 digits, and a zone that must be given, 'Z' or an
    /// offset such as +01:00 ("2026-01-31T12:00:00Z", "2026-01-31T13:00:00.5+01:00"). Without a zone the
    /// instant is a guess (the server's zone? UTC?), and a bare date ("2026-01-31") leaves open which end of
    /// the day is meant, so both are refused rather than guessed, as are local formats ("1/2/2020"). The
    /// answer is normalised to UTC: the store compares recorded times in UTC and refuses any other offset.
    /// </summary>
    public static DateTimeOffset? ParseAsOf(string? asOf, out IResult? problem)
    {
        problem = null;
        if (asOf is null || asOf.Length == 0) return null;
        if (IsoInstant().IsMatch(asOf)
            && DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return at.ToUniversalTime();
        // A '+' that was not escaped in the address arrives as a space: say so rather than only "invalid".
        var hint = asOf.Contains(' ', StringComparison.Ordinal) ? " A '+' in an address must be sent as %2B." : "";
        problem = Problems.Invalid("asOf",
            $"asOf must be an ISO-8601 date and time with 'Z' or an offset, such as 2026-01-31T12:00:00Z or 2026-01-31T13:00:00+01:00.{hint}");
        return null;
    }

    // [0-9], never \d (which matches any Unicode digit); \z, never $ (which also matches before a final newline).
    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex IsoInstant();
}
