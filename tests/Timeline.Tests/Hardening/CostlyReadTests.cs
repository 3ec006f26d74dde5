using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;
using Timeline.Tests.Api;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16, "memory follows the whole log": the costly routes are bounded per user (a short line, then a 429
/// problem with Retry-After), and the run diff lists its events a page at a time with a Link to the next page.
/// </summary>
public sealed class CostlyReadTests(ApiFixture fixture) : ApiTest(fixture)
{
    UserLimits Limits => Host.Services.GetRequiredService<UserLimits>();

    HttpClient Client(string token)
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static TheoryData<string> CostlyUrls => new()
    {
        "/api/analyses/overall-survival?asOf=2030-01-01T00:00:00Z",
        "/api/analyses/time-to-progression?asOf=2030-01-01T00:00:00Z",
        "/api/analyses/response?asOf=2030-01-01T00:00:00Z",
        "/api/analyses/cohort?asOf=2030-01-01T00:00:00Z",
        "/api/analyses/patients?asOf=2030-01-01T00:00:00Z",
        "/api/patients",
        $"/api/analyses/runs/{Guid.Empty}/diff/{Guid.Empty}",
    };

    [Theory]
    [MemberData(nameof(CostlyUrls))]
    public async Task A_user_past_the_bound_gets_a_429_problem_with_retry_after_and_others_are_not_held(string url)
    {
        var configuration = Host.Services.GetRequiredService<IConfiguration>();
        configuration["Timeline:Limits:HeavyReadWaitSeconds"] = "0";
        var held = new List<IDisposable>();
        try
        {
            for (var i = 0; i < UserLimits.DefaultHeavyReads; i++)
                held.Add((await Limits.TryEnterAsync(TestUsers.AdminName, CostlyWork.HeavyRead, default))!);

            var refused = await Api.Get(url);
            refused.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rule");
            refused.Body.ShouldContain("heavy-reads-per-user");
            using (var raw = await Client(Host.Services.GetRequiredService<TestUsers>().Admin).GetAsync(url))
                raw.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(CostlyRoutes.RetryAfterSeconds));

            // Another user's reads are not held back; one patient's timeline is not a costly read.
            using (var other = await Client(Host.Services.GetRequiredService<TestUsers>().Auditor).GetAsync("/api/patients"))
                other.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await Api.Get("/api/patients/NOBODY/timeline")).ShouldHave(HttpStatusCode.NotFound);
        }
        finally
        {
            foreach (var slot in held) slot.Dispose();
            configuration["Timeline:Limits:HeavyReadWaitSeconds"] = null;
        }
        (await Api.Get(url)).Status.ShouldNotBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_heavy_read_past_the_bound_waits_its_turn_in_a_short_line()
    {
        var held = new List<IDisposable>();
        for (var i = 0; i < UserLimits.DefaultHeavyReads; i++)
            held.Add((await Limits.TryEnterAsync(TestUsers.AdminName, CostlyWork.HeavyRead, default))!);
        var waiting = Api.Get("/api/analyses/cohort?asOf=2030-01-01T00:00:00Z");
        await Task.Delay(300);
        waiting.IsCompleted.ShouldBeFalse();
        held[0].Dispose();
        (await waiting).ShouldHave(HttpStatusCode.OK);
        held[1].Dispose();
        Limits.Running(TestUsers.AdminName, CostlyWork.HeavyRead).ShouldBe(0);
    }

    [Fact]
    public async Task The_run_diff_lists_its_events_a_page_at_a_time_with_a_link_to_the_next()
    {
        var first = (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("runId").GetGuid();
        await Api.RecordFullCourse("OSC-001"); // 14 events
        await Api.WithEnrolledPatient("OSC-002");
        var second = (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK).Json.GetProperty("runId").GetGuid();

        var whole = (await Api.Get($"/api/analyses/runs/{first}/diff/{second}")).ShouldHave(HttpStatusCode.OK).Json;
        var all = whole.GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("sequence").GetInt64()).ToList();
        all.Count.ShouldBe(15);

        var client = Client(Host.Services.GetRequiredService<TestUsers>().Admin);
        var seen = new List<long>();
        var next = $"/api/analyses/runs/{first}/diff/{second}?limit=4";
        var pages = 0;
        while (next is not null)
        {
            using var response = await client.GetAsync(next);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var causes = page.GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("sequence").GetInt64()).ToList();
            causes.Count.ShouldBeLessThanOrEqualTo(4);
            seen.AddRange(causes);
            pages++;
            next = response.Headers.TryGetValues("Link", out var links)
                ? System.Text.RegularExpressions.Regex.Match(links.Single(), "^<([^>]+)>; rel=\"next\"$").Groups[1].Value
                : null;
        }
        pages.ShouldBe(4);
        seen.ShouldBe(all);

        (await Api.Get($"/api/analyses/runs/{first}/diff/{second}?limit=0")).ShouldBeProblem(HttpStatusCode.BadRequest, "limit");
        (await Api.Get($"/api/analyses/runs/{first}/diff/{second}?limit=10001")).ShouldBeProblem(HttpStatusCode.BadRequest, "limit");
        (await Api.Get($"/api/analyses/runs/{first}/diff/{second}?after=-1")).ShouldBeProblem(HttpStatusCode.BadRequest, "after");
        (await Api.Get($"/api/analyses/runs/{first}/diff/{second}?limit=abc")).ShouldBeProblem(HttpStatusCode.BadRequest, "limit");
        (await Api.Get($"/api/analyses/runs/{first}/diff/{second}?limit=%EF%BC%94")).ShouldBeProblem(HttpStatusCode.BadRequest, "limit"); // fullwidth 4
    }
}
