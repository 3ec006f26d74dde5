using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Tests.Api;

namespace Timeline.Tests.ReadModels;

/// <summary>GET /api/patients in pages: keyset order, the next link, filters, limits, and appends racing the pages.</summary>
public sealed class PatientListPagingTests(ApiFixture fixture) : ApiTest(fixture)
{
    HttpClient Client()
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Host.Services.GetRequiredService<TestUsers>().Admin);
        return client;
    }

    /// <summary>Follows rel="next" from the first page; every id seen, in order.</summary>
    async Task<List<string>> AllPages(string first)
    {
        using var client = Client();
        var seen = new List<string>();
        for (string? url = first; url is not null;)
        {
            using var response = await client.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            seen.AddRange(page.EnumerateArray().Select(p => p.GetProperty("patientId").GetString()!));
            url = response.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split('<', '>')[1]
                : null;
        }
        return seen;
    }

    [Fact]
    public async Task Pages_follow_the_next_link_in_patient_id_order_and_add_up_to_the_whole_list()
    {
        for (var i = 0; i < 11; i++) await Api.WithEnrolledPatient($"PG-{i:00}");
        await Api.WithDiagnosedPatient("PG-OS", "osteosarcoma");

        var paged = await AllPages("/api/patients?limit=5");
        var whole = (await Api.Get("/api/patients")).ShouldHave(HttpStatusCode.OK).Json.EnumerateArray().Select(p => p.GetProperty("patientId").GetString()!).ToList();
        paged.ShouldBe(whole);
        paged.Count.ShouldBe(12);
        paged.ShouldBe(paged.Order(StringComparer.Ordinal).ToList());

        (await AllPages("/api/patients?limit=2&q=PG-0")).ShouldBe(Enumerable.Range(0, 10).Select(i => $"PG-{i:00}").ToList());
        (await AllPages("/api/patients?limit=3&status=diagnosed")).ShouldBe(["PG-OS"]);
        (await AllPages("/api/patients?limit=3&histology=osteosarcoma")).ShouldBe(["PG-OS"]);
        (await AllPages("/api/patients?after=PG-09")).ShouldBe(["PG-10", "PG-OS"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("q=PG%25", "q")]
    [InlineData("status=alive", "status")]
    [InlineData("after=%20x", "after")]
    public async Task A_bad_page_request_is_a_problem_naming_the_parameter(string parameters, string field) =>
        (await Api.Get($"/api/patients?{parameters}")).ShouldBeProblem(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Paging_while_others_record_returns_every_patient_once()
    {
        var before = new List<string>();
        for (var i = 0; i < 30; i++) before.Add(await Api.WithEnrolledPatient($"RACE-{i:00}"));

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                // New patients inside and around the pages, and new facts that give existing patients new rows.
                await Api.WithEnrolledPatient($"RACE-{(n % 30):00}-{w}{n}");
                await Api.Post($"/api/patients/RACE-{(n * 7 + w) % 30:00}/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma" });
                n++;
            }
        })).ToList();

        List<string> seen;
        try
        {
            seen = await AllPages("/api/patients?limit=3");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        seen.Count.ShouldBe(seen.Distinct().Count(), "no patient twice");
        before.ShouldBeSubsetOf(seen);
    }
}
