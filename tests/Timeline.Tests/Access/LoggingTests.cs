using System.Net;
using System.Text;
using Timeline.Access;
using Timeline.Tests.Api;

namespace Timeline.Tests.Access;

/// <summary>What the app logs, at its configured levels, holds no study id, no clinical text and no token.</summary>
public sealed class LoggingTests(ApiFixture fixture) : ApiTest(fixture)
{
    readonly ApiFixture app = fixture;

    [Fact]
    public async Task Requests_good_and_bad_leave_no_patient_data_or_token_in_the_logs()
    {
        const string id = "LOGCHECK-777", term = "Secret-term-4711";
        var stranger = Tokens.New();
        app.Logs.Lines.Clear();

        await Api.WithDiagnosedPatient(id);
        (await Api.Post($"/api/patients/{id}/adverse-events", new { date = "2020-01-01", term, grade = 2 })).ShouldHave(HttpStatusCode.OK);
        (await Api.PostRaw($"/api/patients/{id}/adverse-events", $$"""{ "date": "2020-01-01", "term": "{{term}}", "grade": "two" }""")).ShouldHave(HttpStatusCode.BadRequest);
        (await Api.PostRaw($"/api/patients/{id}/adverse-events", "{ not json " + term)).ShouldHave(HttpStatusCode.BadRequest);
        (await Api.Post($"/api/patients/{id}/death", new { date = "1800-01-01" })).ShouldHave(HttpStatusCode.BadRequest);
        (await Api.Get($"/api/patients/{id}/history")).ShouldHave(HttpStatusCode.OK);
        (await Api.As(stranger).Get($"/api/patients/{id}/history")).ShouldHave(HttpStatusCode.Unauthorized);
        (await Api.As(app.Users.Analyst).Get($"/api/patients/{id}/history")).ShouldHave(HttpStatusCode.Forbidden);
        using (var big = new HttpRequestMessage(HttpMethod.Post, $"/api/patients/{id}/follow-ups")
               { Content = new StringContent($$"""{ "date": "2020-01-01", "x": "{{new string('a', 70_000)}}{{term}}" }""", Encoding.UTF8, "application/json") })
            (await Api.Send(big)).ShouldHave(HttpStatusCode.RequestEntityTooLarge);

        var logs = app.Logs.Lines.ToList();
        logs.ShouldNotContain(l => l.Contains(id, StringComparison.OrdinalIgnoreCase), string.Join("\n", logs.Where(l => l.Contains(id, StringComparison.OrdinalIgnoreCase))));
        logs.ShouldNotContain(l => l.Contains(term, StringComparison.Ordinal));
        logs.ShouldNotContain(l => l.Contains(stranger, StringComparison.Ordinal) || l.Contains(app.Users.Admin, StringComparison.Ordinal));
    }
    [Fact]
    public async Task Review_requests_good_and_bad_leave_no_patient_data_query_text_or_secret_in_the_logs()
    {
        const string id = "LOGCHECK-778", text = "Secret-query-4712";
        app.Logs.Lines.Clear();

        await Api.WithDiagnosedPatient(id);
        var auditor = Api.As(app.Users.Auditor);
        var investigator = Api.As(app.Users.Investigator);
        var queryId = (await auditor.Post($"/api/patients/{id}/queries", new { text })).ShouldHave(HttpStatusCode.Created).Json.GetProperty("queryId").GetString();
        (await auditor.PostRaw($"/api/patients/{id}/queries", "{ not json " + text)).ShouldHave(HttpStatusCode.BadRequest);
        (await Api.As(app.Users.Recorder).PostRaw($"/api/queries/{queryId}/answer", $$"""{ "text": ["{{text}}"] }""")).ShouldHave(HttpStatusCode.BadRequest);
        (await investigator.PostRaw($"/api/patients/{id}/signatures", $$"""{ "meaning": "signed", "secret": "{{app.Users.Investigator}}" }""")).ShouldHave(HttpStatusCode.BadRequest);
        (await investigator.PostRaw($"/api/patients/{id}/signatures", "{ \"secret\": \"" + app.Users.Investigator + " ")).ShouldHave(HttpStatusCode.BadRequest);
        (await investigator.Post($"/api/patients/{id}/signatures", new { meaning = "reviewed", secret = app.Users.Admin })).ShouldHave(HttpStatusCode.Unauthorized);
        (await Api.PostRaw($"/api/patients/{id}/lock", "{ \"reason\": 4" + text)).ShouldHave(HttpStatusCode.BadRequest);

        var logs = app.Logs.Lines.ToList();
        logs.ShouldNotContain(l => l.Contains(id, StringComparison.OrdinalIgnoreCase), string.Join("\n", logs));
        logs.ShouldNotContain(l => l.Contains(text, StringComparison.Ordinal), string.Join("\n", logs));
        logs.ShouldNotContain(l => l.Contains(app.Users.Investigator, StringComparison.Ordinal) || l.Contains(app.Users.Admin, StringComparison.Ordinal));
    }
}
