using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Import;

public static class ImportEndpoint
{
    /// <summary>How long an upload may send nothing (Timeline:Import:IdleTimeoutSeconds).</summary>
    public const int DefaultIdleTimeoutSeconds = 30;

    /// <summary>How long one upload may last in all (Timeline:Import:MaxMinutes), however steadily it trickles.</summary>
    public const int DefaultMaxMinutes = 60;

    /// <summary>
    /// Bulk import of whole patient histories: NDJSON, one fact per line (see README, "Bulk import and
    /// benchmark"). The body is read as it streams, line by line, never buffered whole, so it has no size limit.
    /// 200 with the counts and the refused patients (their lines and why); 400 for an empty body.
    /// </summary>
    [WolverinePost("/api/import", OperationId = "Import")]
    public static async Task<IResult> Post(HttpContext http, IDocumentStore store, PatientStreams streams, IConfiguration configuration, TimeProvider clock)
    {
        // A history file is as large as it is: no body-size limit, and no minimum rate while the writer holds the reader
        // back; instead the client may not leave the upload idle (IdleTimeoutStream: 408).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate) rate.MinDataRate = null;

        // Access control signed the user in; every imported event names them as its recorder.
        var user = http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
            : throw new InvalidOperationException("An import needs a signed-in user: the audit history names who recorded every event.");
        var importer = new BulkImporter(store, streams.Today, user, source: "POST /api/import");
        var body = new IdleTimeoutStream(http.Request.Body,
            TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Timeline:Import:IdleTimeoutSeconds", DefaultIdleTimeoutSeconds))),
            TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Timeline:Import:MaxMinutes", DefaultMaxMinutes))), clock);
        var answer = await importer.ImportAsync(body, http.RequestAborted);
        if (answer.LinesRead == 0 || answer.PatientsImported + answer.PatientsRefused == 0)
            return Problems.Invalid("body", "The body is empty: send NDJSON, one fact per line ({\"patientId\", \"type\", \"body\"}).");
        return Results.Ok(answer);
    }
}
