using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Net.Http.Headers;
using Alba;
using Microsoft.Extensions.DependencyInjection;

namespace Timeline.Tests.Api;

/// <summary>
/// A client that knows only API.md: it sends JSON and reads JSON, with a bearer token: the test host's admin
/// unless another one is given (<see cref="As"/>; null sends none).
/// </summary>
public sealed class Scenarios
{
    readonly IAlbaHost host;
    readonly HttpClient client;

    public Scenarios(IAlbaHost host) : this(host, host.Services.GetService<TestUsers>()?.Admin) { }

    public Scenarios(IAlbaHost host, string? token)
    {
        this.host = host;
        client = host.Server.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The same API as another user (a token), or anonymously (null).</summary>
    public Scenarios As(string? token) => new(host, token);

    /// <summary>Any request, as this client's user.</summary>
    public async Task<Answer> Send(HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return await Answer.Read(response);
    }

    public async Task<Answer> Post(string url, object body, string? ifMatch = null) =>
        await PostRaw(url, JsonSerializer.Serialize(body, JsonSerializerOptions.Web), ifMatch);

    public async Task<Answer> PostRaw(string url, string json, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await client.SendAsync(request);
        return await Answer.Read(response);
    }

    public async Task<Answer> Get(string url)
    {
        using var response = await client.GetAsync(url);
        return await Answer.Read(response);
    }

    // Fixtures: a patient in a known state.
    public async Task<string> WithEnrolledPatient(string id = "OSC-001", string birthDate = "2006-04-12")
    {
        (await Post("/api/patients", new { patientId = id, birthDate, sex = "female" })).ShouldHave(HttpStatusCode.Created);
        return id;
    }

    public async Task<string> WithDiagnosedPatient(string id = "OSC-001", string histology = "osteosarcoma")
    {
        await WithEnrolledPatient(id);
        (await Post($"/api/patients/{id}/diagnosis", new { date = "2019-03-01", histology, primarySite = "femur" })).ShouldHave(HttpStatusCode.OK);
        return id;
    }

    /// <summary>The study's typical course: two chemotherapy lines, relapse, an mTKI line with responses, death.</summary>
    public async Task<Dictionary<string, Guid>> RecordFullCourse(string id = "OSC-001")
    {
        await WithDiagnosedPatient(id);
        var ids = new Dictionary<string, Guid>();
        async Task Step(string name, string route, object body)
        {
            var answer = await Post($"/api/patients/{id}/{route}", body);
            answer.ShouldHave(HttpStatusCode.OK);
            ids[name] = answer.Json.GetProperty("eventId").GetGuid();
        }
        await Step("line1", "treatment-lines", new { line = 1, startDate = "2019-03-15", regimen = "MAP", agents = new[] { "methotrexate", "doxorubicin", "cisplatin" } });
        await Step("line1-end", "treatment-lines/1/end", new { date = "2019-10-01", reason = "completed" });
        await Step("relapse", "relapses", new { date = "2020-05-01" });
        await Step("line2", "treatment-lines", new { line = 2, startDate = "2020-05-20", regimen = "IE", agents = new[] { "ifosfamide", "etoposide" } });
        await Step("line2-end", "treatment-lines/2/end", new { date = "2020-11-01", reason = "progression" });
        await Step("progression", "progressions", new { date = "2020-11-01" });
        await Step("line3", "treatment-lines", new { line = 3, startDate = "2020-11-20", agents = new[] { "sorafenib" } });
        await Step("response1", "responses", new { date = "2021-01-15", line = 3, category = "SD" });
        await Step("response2", "responses", new { date = "2021-03-15", line = 3, category = "PR" });
        await Step("ae", "adverse-events", new { date = "2021-02-01", line = 3, term = "Palmar-plantar erythrodysesthesia syndrome", grade = 2 });
        await Step("follow-up", "follow-ups", new { date = "2021-06-01" });
        await Step("death", "death", new { date = "2021-09-10", cause = "disease" });
        return ids;
    }

    public async Task<long> VersionOf(string id)
    {
        var history = await Get($"/api/patients/{id}/history");
        history.ShouldHave(HttpStatusCode.OK);
        return history.Json.GetArrayLength();
    }
}

/// <summary>A response read whole: status, headers that matter, and the JSON body.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, string? ETag, string? Location, string? ContentType)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public static async Task<Answer> Read(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag,
            response.Headers.Location?.ToString(), response.Content.Headers.ContentType?.MediaType);

    public Answer ShouldHave(HttpStatusCode status)
    {
        Status.ShouldBe(status, Body);
        return this;
    }

    /// <summary>A refusal: problem details naming the field that failed.</summary>
    public Answer ShouldBeProblem(HttpStatusCode status, string field)
    {
        ShouldHave(status);
        ContentType.ShouldBe("application/problem+json");
        (Body.Contains($"\"{field}\"", StringComparison.Ordinal) || Body.Contains($"$.{field}", StringComparison.Ordinal))
            .ShouldBeTrue($"the problem should name {field}: {Body}");
        return this;
    }
}
