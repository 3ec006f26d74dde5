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
}
