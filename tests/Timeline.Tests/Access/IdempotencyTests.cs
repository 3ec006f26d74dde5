using System.Net;
using System.Security.Claims;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Timeline.Access;
using Timeline.Analyses;
using Timeline.Recording;
using Timeline.Tests.Api;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Timeline.Tests.Access;

/// <summary>An Idempotency-Key makes a POST happen once: retries and racing copies get the first answer.</summary>
public sealed class IdempotencyTests(ApiFixture fixture) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;

    async Task<Answer> Post(string url, string json, string key, Scenarios? as_ = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(Idempotency.Header, key);
        return await (as_ ?? Api).Send(request);
    }

    [Fact]
    public async Task A_retried_append_returns_the_first_answer_and_appends_nothing_more()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        const string body = """{ "date": "2020-01-01" }""";
        var first = (await Post("/api/patients/OSC-001/follow-ups", body, "k-1")).ShouldHave(HttpStatusCode.OK);
        var again = (await Post("/api/patients/OSC-001/follow-ups", body, "k-1")).ShouldHave(HttpStatusCode.OK);

        again.Body.ShouldBe(first.Body);
        again.ETag.ShouldBe(first.ETag);
        first.ETag.ShouldBe("\"3\"");
        (await Api.VersionOf("OSC-001")).ShouldBe(3);
        (await Post("/api/patients/OSC-001/follow-ups", body, "k-2")).ShouldHave(HttpStatusCode.OK).ETag.ShouldBe("\"4\"");
    }

    [Fact]
    public async Task A_retried_enrolment_returns_the_first_201_with_its_location()
    {
        const string body = """{ "patientId": "OSC-002", "birthDate": "2006-04-12", "sex": "male" }""";
        var first = (await Post("/api/patients", body, "enrol-1")).ShouldHave(HttpStatusCode.Created);
        var again = (await Post("/api/patients", body, "enrol-1")).ShouldHave(HttpStatusCode.Created);
        again.Body.ShouldBe(first.Body);
        again.Location.ShouldBe("/api/patients/OSC-002");
        again.ETag.ShouldBe("\"1\"");
        (await Api.Post("/api/patients", new { patientId = "OSC-002", birthDate = "2006-04-12", sex = "male" })).ShouldHave(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_and_writes_nothing()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        (await Post("/api/patients/OSC-001/follow-ups", """{ "date": "2020-01-01" }""", "k")).ShouldHave(HttpStatusCode.OK);
        (await Post("/api/patients/OSC-001/follow-ups", """{ "date": "2020-02-01" }""", "k")).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        (await Post("/api/patients/OSC-001/progressions", """{ "date": "2020-01-01" }""", "k")).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        (await Api.VersionOf("OSC-001")).ShouldBe(3);
    }

    [Fact]
    public async Task Keys_belong_to_their_user()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var recorder = Api.As(users.Recorder);
        (await Post("/api/patients/OSC-001/follow-ups", """{ "date": "2020-01-01" }""", "shared")).ShouldHave(HttpStatusCode.OK);
        (await Post("/api/patients/OSC-001/follow-ups", """{ "date": "2020-01-01" }""", "shared", recorder)).ShouldHave(HttpStatusCode.OK).ETag.ShouldBe("\"4\"");
    }

    [Fact]
    public async Task Racing_copies_of_one_request_append_once_and_all_get_the_same_answer()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Post("/api/patients/OSC-001/adverse-events", """{ "date": "2020-01-01", "term": "Nausea", "grade": 1 }""", "race")));
        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK);
        answers.Select(a => a.Body).Distinct().Count().ShouldBe(1);
        (await Api.VersionOf("OSC-001")).ShouldBe(3);
    }

    [Fact]
    public async Task Copies_racing_past_the_gate_meet_at_the_unique_key_and_the_loser_answers_with_the_winner_s_answer()
    {
        // As if the two copies reached two app processes: straight into the write path, no gate in between.
        await Api.WithDiagnosedPatient("OSC-001");
        var streams = Host.Services.GetRequiredService<PatientStreams>();
        var json = Host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        for (var round = 0; round < 5; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                var http = new DefaultHttpContext { RequestServices = Host.Services };
                http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, ApiFixture.User)], "Bearer"));
                http.Features.Set(new IdempotencyScope($"{ApiFixture.User}/twin-{round}", "same-request", json, TimeProvider.System));
                http.Response.Body = new MemoryStream();
                var result = await streams.Into("OSC-001", new RecordFollowUp(new DateOnly(2020, 1, 1)), http);
                await result.ExecuteAsync(http);
                http.Response.Body.Position = 0;
                return (http.Response.StatusCode, Body: await new StreamReader(http.Response.Body).ReadToEndAsync());
            }));
            results.ShouldAllBe(r => r.StatusCode == 200);
            results.Select(r => r.Body).Distinct().Count().ShouldBe(1);
            (await Api.VersionOf("OSC-001")).ShouldBe(3 + round);
        }
    }

    [Fact]
    public async Task A_refusal_is_answered_again_too()
    {
        var first = (await Post("/api/patients/OSC-404/follow-ups", """{ "date": "2020-01-01" }""", "late")).ShouldHave(HttpStatusCode.NotFound);
        await Api.WithDiagnosedPatient("OSC-404");
        var again = (await Post("/api/patients/OSC-404/follow-ups", """{ "date": "2020-01-01" }""", "late")).ShouldHave(HttpStatusCode.NotFound);
        again.Body.ShouldBe(first.Body);
        (await Api.VersionOf("OSC-404")).ShouldBe(2);
    }

    [Fact]
    public async Task A_retried_regeneration_stores_one_run()
    {
        var first = (await Post("/api/analyses/regenerate", "", "regen")).ShouldHave(HttpStatusCode.OK);
        var again = (await Post("/api/analyses/regenerate", "", "regen")).ShouldHave(HttpStatusCode.OK);
        again.Body.ShouldBe(first.Body);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<AnalysisRun>().CountAsync()).ShouldBe(1);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\tin")]
    [InlineData("é")]
    public async Task A_malformed_key_is_a_400(string key)
    {
        await Api.WithDiagnosedPatient("OSC-001");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/patients/OSC-001/follow-ups")
        {
            Content = new StringContent("""{ "date": "2020-01-01" }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(Idempotency.Header, key);
        (await Api.Send(request)).ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");
        (await Api.VersionOf("OSC-001")).ShouldBe(2);
    }

    [Fact]
    public async Task A_key_longer_than_255_is_a_400()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        (await Post("/api/patients/OSC-001/follow-ups", """{ "date": "2020-01-01" }""", new string('k', 256))).ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");
        (await Api.VersionOf("OSC-001")).ShouldBe(2);
    }
}
