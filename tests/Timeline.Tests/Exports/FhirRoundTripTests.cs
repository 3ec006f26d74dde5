using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Timeline.Tests.Api;

namespace Timeline.Tests.Exports;

/// <summary>
/// FHIR out, then in: each patient of the SYNTHETIC export cohort (a correction, a retraction, a patient without a
/// second line) exported as its Bundle, the store emptied, every bundle imported: each timeline is the one before,
/// but for what differs by nature (event ids, versions, the 'corrected' flags: the imported facts are new events,
/// recorded as corrected, never corrected).
/// </summary>
public sealed class FhirRoundTripTests(ApiFixture fixture) : ApiTest(fixture)
{
    readonly ApiFixture store = fixture;

    static readonly string[] DifferByNature = ["eventId", "endEventId", "version", "corrected"];

    static string Comparable(string timeline)
    {
        var node = JsonNode.Parse(timeline)!;
        Strip(node);
        return node.ToJsonString();
    }

    static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in DifferByNature) o.Remove(name);
                foreach (var (_, child) in o) Strip(child);
                break;
            case JsonArray a:
                foreach (var child in a) Strip(child);
                break;
        }
    }

    [Fact]
    public async Task An_exported_cohort_imported_into_an_empty_store_gives_the_same_timelines()
    {
        var cohort = new ExportCohort(Host, Api, store.Users.Analyst);
        await cohort.RecordAsync();
        await cohort.CorrectAsync();
        string[] patients = ["SYN-EXP-01", "SYN-EXP-02", "SYN-EXP-03", "SYN-EXP-04"];

        var bundles = new Dictionary<string, string>();
        var before = new Dictionary<string, string>();
        foreach (var id in patients)
        {
            var (status, body, type) = await cohort.DownloadAsync($"/api/exports/fhir/patients/{id}", store.Users.Admin);
            status.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(body));
            type.ShouldBe("application/fhir+json");
            bundles[id] = Encoding.UTF8.GetString(body);
            before[id] = (await Api.Get($"/api/patients/{id}/timeline")).ShouldHave(HttpStatusCode.OK).Body;
        }

        await store.ResetAsync();
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);

        foreach (var id in patients)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/import/fhir") { Content = new StringContent(bundles[id], Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
            (await Api.Send(request)).ShouldHave(HttpStatusCode.Created).Json.GetProperty("patientId").GetString().ShouldBe(id);
        }

        foreach (var id in patients)
        {
            var after = (await Api.Get($"/api/patients/{id}/timeline")).ShouldHave(HttpStatusCode.OK).Body;
            Comparable(after).ShouldBe(Comparable(before[id]), id);
        }
        // The corrected progression (three weeks earlier) and the retracted response came across as corrected.
        var first = (await Api.Get("/api/patients/SYN-EXP-01/timeline")).Json;
        first.GetProperty("progressions")[0].GetProperty("date").GetString().ShouldBe("2020-10-11");
        var second = (await Api.Get("/api/patients/SYN-EXP-02/timeline")).Json;
        second.GetProperty("treatmentLines")[2].GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("category").GetString()).ShouldBe(["SD"]);
    }
}
