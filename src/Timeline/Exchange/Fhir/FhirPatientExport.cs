using Marten;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Reading;
using Timeline.Recording;
using Wolverine.Http;
using R4 = Hl7.Fhir.Model;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// One patient's record as a FHIR R4 Bundle of type collection (<see cref="FhirResources"/>), now or as it was known
/// at a past recorded time (asOf). The timestamp is the recorded time of the last event read, never the clock, so the
/// same events give the same bytes, and an asOf before a correction gives the bundle made before it.
/// </summary>
public static class FhirPatientExport
{
    [WolverineGet("/api/exports/fhir/patients/{patientId}", OperationId = "ExportFhirPatient")]
    public static async Task<IResult> Get(string patientId, string? asOf, IDocumentStore store, HttpContext http)
    {
        var at = GetTimelineEndpoint.ParseAsOf(asOf, out var problem);
        if (problem is not null) return problem;

        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(patientId, 0, at, token: http.RequestAborted);
        if (events.Count == 0)
        {
            if (at is null) return Problems.UnknownPatient(patientId);
            var exists = await session.Events.FetchStreamStateAsync(patientId, http.RequestAborted) is not null;
            return exists
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not yet recorded.",
                    detail: $"Patient '{patientId}' had no recorded events at {asOf}.",
                    extensions: new Dictionary<string, object?> { ["field"] = "asOf" })
                : Problems.UnknownPatient(patientId);
        }
        // Only a patient's stream (one that starts with an enrolment) is a patient: not a data query's, whatever its id.
        if (!events.Any(e => e.Data is PatientEnrolled)) return Problems.UnknownPatient(patientId);
        var chart = PatientChart.Replay(patientId, events);
        var bytes = FhirJson.Bytes(Bundle(chart, events[^1].Timestamp));
        http.Response.Headers.ETag = $"\"{chart.Version}\"";
        return Results.Bytes(bytes, FhirJson.MediaType);
    }

    /// <summary>The bundle of one chart, stamped with the recorded time of the last event it reflects.</summary>
    public static R4.Bundle Bundle(PatientChart chart, DateTimeOffset basis)
    {
        var bundle = new R4.Bundle
        {
            Type = R4.Bundle.BundleType.Collection,
            Timestamp = basis.ToUniversalTime(),
        };
        foreach (var resource in FhirResources.Of(chart))
            // Absolute URLs in this product's namespace, so each entry's relative references (Patient/…) resolve in the bundle.
            bundle.Entry.Add(new R4.Bundle.EntryComponent { FullUrl = $"{FhirTerms.Base}/{resource.TypeName}/{resource.Id}", Resource = resource });
        return bundle;
    }
}
