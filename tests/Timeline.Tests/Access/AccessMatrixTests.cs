using System.Globalization;
using System.Net;
using System.Text;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;
using Timeline.Analyses;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Access;

/// <summary>
/// Every route of the access table × {no token, an unknown token, a revoked token, each role}: 401 without a
/// valid token, 403 for a role the table does not name, never either for one it does; a refused request
/// writes nothing (events and stored runs counted before and after), and every refusal is problem details.
/// </summary>
public sealed class AccessMatrixTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;

    public static TheoryData<string, string> Routes()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in AccessPolicy.Routes) data.Add(rule.Method, rule.Route);
        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_caller_gets_401_403_or_through_as_the_table_says_and_a_refusal_writes_nothing(string method, string route)
    {
        var rule = AccessPolicy.Find(method, route)!;
        if (!Served(method, route))
        {
            output.WriteLine($"{method} {route}: not served by this build (its row waits for the route)");
            return;
        }
        await Api.RecordFullCourse("OSC-001");
        var run = (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("runId").GetGuid();
        var url = Concrete(route, run);

        var callers = new List<(string Who, string? Token, Role? Role)>
        {
            ("no token", null, null), ("unknown token", Tokens.New(), null), ("revoked token", users.Revoked, null),
        };
        callers.AddRange(TestUsers.AllRoles.Select(r => (r.ToString().ToLowerInvariant(), (string?)users.TokenOf(r), (Role?)r)));

        var row = new StringBuilder($"{method,-5} {route,-52}");
        foreach (var (who, token, role) in callers)
        {
            var before = await Written();
            var answer = await Api.As(token).Send(Request(method, url, route, token));
            var after = await Written();
            row.Append(CultureInfo.InvariantCulture, $" {who}={(int)answer.Status}");

            HttpStatusCode? expected = rule.Anonymous ? null
                : role is null ? HttpStatusCode.Unauthorized
                : rule.Allows([role.Value]) ? null : HttpStatusCode.Forbidden;
            if (expected is { } refused)
            {
                answer.Status.ShouldBe(refused, $"{who} on {method} {url}: {answer.Body}");
                answer.ContentType.ShouldBe("application/problem+json");
                after.ShouldBe(before, $"{who} on {method} {url} was refused but something was written");
            }
            else
            {
                answer.Status.ShouldNotBe(HttpStatusCode.Unauthorized, $"{who} on {method} {url}: {answer.Body}");
                answer.Status.ShouldNotBe(HttpStatusCode.Forbidden, $"{who} on {method} {url}: {answer.Body}");
                ((int)answer.Status).ShouldBeLessThan(500, $"{who} on {method} {url}: {answer.Body}");
            }
        }
        output.WriteLine(row.ToString());
    }

    [Fact]
    public async Task The_history_names_the_token_s_user_and_a_recordedBy_in_the_body_changes_nothing()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        var recorder = Api.As(users.Recorder);
        (await recorder.PostRaw("/api/patients/OSC-001/follow-ups", """{ "date": "2020-01-01", "recordedBy": "mallory" }"""))
            .ShouldHave(HttpStatusCode.OK);
        var history = (await Api.Get("/api/patients/OSC-001/history")).Json.EnumerateArray().ToList();
        history[^1].GetProperty("recordedBy").GetString().ShouldBe(TestUsers.NameOf(Role.Recorder));
        history.ShouldAllBe(e => e.GetProperty("recordedBy").GetString() != "mallory");
    }

    [Fact]
    public async Task Who_am_I_answers_each_user_its_name_and_roles()
    {
        var me = (await Api.As(users.Analyst).Get("/api/me")).ShouldHave(HttpStatusCode.OK).Json;
        me.GetProperty("name").GetString().ShouldBe("test-analyst");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["analyst"]);
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_401_without_touching_anything()
    {
        foreach (var header in new[] { "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", $"Bearer {users.Admin}x", $"Bearer {users.Admin[..^1]}", "Bearer " + new string('a', 5000) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/patients");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            (await Api.As(null).Send(request)).Status.ShouldBe(HttpStatusCode.Unauthorized, header);
        }
    }

    [Fact]
    public async Task A_token_revoked_while_in_use_is_refused_on_the_next_request()
    {
        var directory = Host.Services.GetRequiredService<UserDirectory>();
        var issued = (await directory.AddAsync("nurse.temp", [Role.Recorder], "test"))!;
        (await Api.As(issued.Token).Get("/api/patients")).ShouldHave(HttpStatusCode.OK);
        (await directory.RevokeAsync("nurse.temp")).ShouldBeTrue();
        (await Api.As(issued.Token).Get("/api/patients")).ShouldHave(HttpStatusCode.Unauthorized);
        var again = (await directory.AddAsync("nurse.temp", [Role.Auditor], "test"))!;
        again.Token.ShouldNotBe(issued.Token);
        (await Api.As(again.Token).Get("/api/patients/OSC-404/history")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Api.As(issued.Token).Get("/api/patients")).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Only_the_hash_of_a_token_is_stored()
    {
        var issued = (await Host.Services.GetRequiredService<UserDirectory>().AddAsync("hash.check", [Role.Analyst], "test"))!;
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var raw = await session.Query<ApiUser>().Where(u => u.Name == "hash.check").ToJsonArray();
        raw.ShouldNotContain(issued.Token);
        raw.ShouldContain(Tokens.Hash(issued.Token));
    }

    bool Served(string method, string route) =>
        Host.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>().SelectMany(s => s.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Any(e => AccessPolicy.Find(method, e.RoutePattern.RawText)?.Route == route
                && (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains(method) ?? true));

    /// <summary>Everything a request could have written: events and stored analysis runs.</summary>
    async Task<(long Events, int Runs)> Written()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().CountAsync();
        var runs = await session.Query<AnalysisRun>().CountAsync();
        return (events, runs);
    }

    static string Concrete(string route, Guid run) => route
        .Replace("{patientId}", "OSC-001", StringComparison.Ordinal).Replace("{line}", "3", StringComparison.Ordinal)
        .Replace("{runId}", run.ToString(), StringComparison.Ordinal).Replace("{a}", run.ToString(), StringComparison.Ordinal)
        .Replace("{b}", run.ToString(), StringComparison.Ordinal).Replace("{queryId}", "Q-00000000-0000-0000-0000-000000000000", StringComparison.Ordinal).Replace("{documentName}", "v1", StringComparison.Ordinal)
        .Replace("/**", "", StringComparison.Ordinal);

    /// <summary>A request an allowed caller could make: a body that would be recorded (the follow-up is within the course), a signature with the caller's secret.</summary>
    static HttpRequestMessage Request(string method, string url, string route, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            var body = route switch
            {
                "/api/patients" => $$"""{ "patientId": "NEW-{{Guid.NewGuid():N}}", "birthDate": "2006-04-12", "sex": "female" }""",
                "/api/import" => "",
                _ when route.EndsWith("/end", StringComparison.Ordinal) => """{ "date": "2021-05-01", "reason": "progression" }""",
                // A signature re-authenticates with the caller's own token in the body (21 CFR 11.200).
                _ when route.EndsWith("/signatures", StringComparison.Ordinal) => $$"""{ "meaning": "reviewed", "secret": "{{token}}" }""",
                _ when route.EndsWith("/corrections", StringComparison.Ordinal) => """{ "eventId": "00000000-0000-0000-0000-000000000001", "reason": "typo", "retract": true }""",
                _ => """{ "date": "2021-06-02", "line": 3, "term": "Fatigue", "grade": 1, "category": "SD", "histology": "osteosarcoma", "startDate": "2021-06-02", "agents": ["x"] }""",
            };
            request.Content = new StringContent(body, Encoding.UTF8, route == "/api/import" ? "application/x-ndjson" : "application/json");
        }
        return request;
    }
}
