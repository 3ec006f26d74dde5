using System.Text.Json;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Timeline.Access;
using Timeline.Import;
using Timeline.Projections.Patients;
using Timeline.Reading;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Exchange.Fhir;

/// <summary>One recorded event of a FHIR import: its id, its type and the bundle entries it was read from.</summary>
public sealed record FhirImportedFact(Guid EventId, long Version, string Type, string Source);

/// <param name="Events">How many events were recorded (the stream's version, as the patient is new).</param>
public sealed record FhirImportAnswer(string PatientId, long Version, int Events, IReadOnlyList<FhirImportedFact> Facts);

/// <summary>
/// FHIR in: one patient's Bundle (type collection, as the FHIR export answers) recorded as facts. The bundle is read
/// strictly (<see cref="FhirBundleJson"/>), mapped with <see cref="FhirBundleReader"/> through the routes' own field
/// checks, then every fact is checked with <see cref="ClinicalRules"/> against the chart as it grows, exactly as the
/// routes check one fact at a time. Only then is the whole patient written, in one transaction: the stream with
/// every event (each with its source entry and the importing user), and the Idempotency-Key's answer when one is
/// given. A refused bundle writes nothing. The patient is new, so no lock can be in force. Soft checks are not run, as
/// in the NDJSON import: a bundle is a history kept elsewhere, and FHIR has no place for a recorder's override.
/// </summary>
public static class FhirImport
{
    /// <summary>The route as the source header of each imported event names it.</summary>
    public const string Route = "POST /api/import/fhir";

    /// <summary>A patient's bundle with hundreds of resources is well under this; a JSON route takes 64 KiB.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    [WolverinePost("/api/import/fhir", OperationId = "ImportFhirBundle")]
    public static async Task<IResult> Post(HttpContext http, IDocumentStore store, PatientStreams streams)
    {
        var user = http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
            : throw new InvalidOperationException("An import needs a signed-in user: the audit history names who recorded every event.");

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted); // past MaxBodyBytes this throws: 413
        if (body.Length == 0) return Problems.Invalid("body", "The body is empty: send the patient's FHIR Bundle (application/fhir+json).");

        var bundle = FhirBundleJson.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), out var unreadable);
        if (bundle is null) return FhirImportProblems.Unreadable(unreadable, "The body is not a valid FHIR Bundle.");
        var read = FhirBundleReader.Read(bundle, out var refusals);
        if (read is null) return FhirImportProblems.Unreadable(refusals);
        if (read.Facts.Count > PatientHistory.MaxFacts)
            return Problems.Invalid("body", $"The bundle holds {read.Facts.Count} facts, more than the {PatientHistory.MaxFacts} one import takes.");

        await using var session = store.LightweightSession();
        session.LastModifiedBy = user;
        if (await session.Events.FetchStreamStateAsync(read.PatientId, http.RequestAborted) is not null)
            return Problems.DuplicatePatient(read.PatientId);

        // Each fact is judged as its route would judge it, appended after the ones before it.
        var chart = new PatientChart { Id = read.PatientId };
        for (var i = 0; i < read.Facts.Count; i++)
        {
            var fact = read.Facts[i];
            if (ClinicalRules.CheckRecording(chart, fact.Fact, streams.Today) is { } broken) return FhirImportProblems.RuleBroken(fact, broken);
            chart.Apply(Guid.Empty, i + 1, 0, fact.Fact);
        }

        var action = session.Events.StartStream(read.PatientId, read.Facts.Select(f => (object)f.Fact).ToArray());
        var recorded = new List<FhirImportedFact>(read.Facts.Count);
        for (var i = 0; i < action.Events.Count; i++)
        {
            action.Events[i].SetHeader(BulkImporter.SourceHeader, read.Facts[i].Source);
            recorded.Add(new FhirImportedFact(action.Events[i].Id, i + 1, GetHistoryEndpoint.TypeName(read.Facts[i].Fact), read.Facts[i].Source));
        }
        var answer = new FhirImportAnswer(read.PatientId, recorded.Count, recorded.Count, recorded);
        var result = new FhirImportResult(answer, JsonSerializer.Serialize(answer, ImportLineReader.Json));

        // As on every recording route, a key's answer commits with the write: after a crash both are there or neither.
        var idempotency = http.Features.Get<IdempotencyScope>();
        if (idempotency is not null)
            session.Insert(idempotency.Answer(StatusCodes.Status201Created, result.Json, FhirImportResult.ContentType, result.ETag, result.Location));
        try
        {
            await session.SaveChangesAsync(http.RequestAborted);
        }
        catch (Exception e) when (Collided(e))
        {
            // Someone enrolled the id meanwhile, or a copy of this very request (same key) committed first.
            if (idempotency is not null && await idempotency.StoredAnswerAsync(store, http.RequestAborted) is { } twins) return twins;
            return Problems.DuplicatePatient(read.PatientId);
        }
        idempotency?.Committed();
        return result;
    }

    static bool Collided(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is ExistingStreamIdCollisionException or DocumentAlreadyExistsException or Npgsql.PostgresException { SqlState: "23505" }) return true;
        return false;
    }
}

/// <summary>201 with the answer, Location of the new patient and its version as ETag, as enrolment answers.</summary>
public sealed class FhirImportResult(FhirImportAnswer answer, string json) : IResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public FhirImportAnswer Answer { get; } = answer;
    public string Json { get; } = json;
    public string ETag => $"\"{Answer.Version}\"";
    public string Location => $"/api/patients/{Uri.EscapeDataString(Answer.PatientId)}";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status201Created;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.Headers.ETag = ETag;
        httpContext.Response.Headers.Location = Location;
        await httpContext.Response.WriteAsync(Json, httpContext.RequestAborted);
    }
}
