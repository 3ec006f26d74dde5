using System.Security.Claims;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Options;
using Timeline.Recording;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Timeline.Demo;

public sealed record DemoResult(int Recorded, int AlreadyPresent, IReadOnlyList<string> Refused);

/// <summary>
/// Records the synthetic cohort through the recording endpoints themselves (same checks, same append
/// path). A patient already in the store is left exactly as it is, so running it twice changes nothing.
/// </summary>
public static class DemoRecorder
{
    /// <summary>Who the history names for the demo's facts: every event has an author, the demo is its own.</summary>
    public const string RecorderName = "demo";

    static readonly ClaimsPrincipal Recorder = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, RecorderName)], "demo"));

    public static async Task<DemoResult> RecordAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var streams = services.GetRequiredService<PatientStreams>();
        var store = services.GetRequiredService<IDocumentStore>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var session = store.QuerySession())
        {
            foreach (var id in DemoCohort.Facts.Select(f => f.PatientId).Distinct())
                if (await session.Events.FetchStreamStateAsync(id, ct) is not null) present.Add(id);
        }

        var recorded = 0;
        var refused = new List<string>();
        foreach (var fact in DemoCohort.Facts.Where(f => !present.Contains(f.PatientId)))
        {
            var body = JsonSerializer.SerializeToElement(fact.Body, JsonSerializerOptions.Web);
            var request = body.Deserialize(FactTypes.RequestTypes[fact.Type], json);
            var http = new DefaultHttpContext { RequestServices = services, User = Recorder };
            http.Response.Body = Stream.Null;
            var result = fact.Type == FactTypes.Enrolment
                ? await EnrolPatientEndpoint.Post((EnrolPatient?)request, streams, http)
                : await streams.Into(fact.PatientId, (IFactRequest?)request, http);
            await result.ExecuteAsync(http);
            if (http.Response.StatusCode is >= 200 and < 300) recorded++;
            else refused.Add($"{fact.PatientId} {fact.Type}: HTTP {http.Response.StatusCode}");
        }
        return new DemoResult(recorded, present.Count, refused);
    }
}
