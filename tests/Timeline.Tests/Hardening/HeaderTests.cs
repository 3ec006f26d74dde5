using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Tests.Api;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16, the header rows: a page, an API answer with patient data and a problem answer all carry the security
/// headers and no Server header; HEAD answers 200 without a body wherever GET is allowed, under the same access rule;
/// the API page names nothing outside this origin.
/// </summary>
public sealed class HeaderTests(ApiFixture fixture) : ApiTest(fixture)
{
    HttpClient Client(string? token)
    {
        var client = Host.Server.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    string Admin => Host.Services.GetRequiredService<TestUsers>().Admin;

    static void ShouldHaveSecurityHeaders(HttpResponseMessage response)
    {
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task A_page_carries_a_csp_without_inline_script_and_the_other_headers()
    {
        using var response = await Client(null).GetAsync("/patient.html");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldHaveSecurityHeaders(response);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self';");
        csp.ShouldContain("default-src 'self'");
    }

    [Fact]
    public async Task An_api_answer_with_patient_data_is_never_stored()
    {
        await Api.RecordFullCourse("OSC-001");
        foreach (var url in new[] { "/api/patients", "/api/patients/OSC-001/timeline", "/api/patients/OSC-001/history" })
        {
            using var response = await Client(Admin).GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            ShouldHaveSecurityHeaders(response);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue(url);
            response.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'none'");
        }
    }

    [Fact]
    public async Task A_problem_answer_carries_the_headers_too()
    {
        using var unknown = await Client(Admin).GetAsync("/api/patients/NOBODY/timeline");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        ShouldHaveSecurityHeaders(unknown);
        unknown.Headers.CacheControl!.NoStore.ShouldBeTrue();

        using var anonymous = await Client(null).GetAsync("/api/patients");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        ShouldHaveSecurityHeaders(anonymous);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/")]
    [InlineData("/js/api.js")]
    [InlineData("/api/patients")]
    [InlineData("/api/patients/OSC-001/timeline")]
    [InlineData("/api/me")]
    [InlineData("/openapi/v1.json")]
    public async Task Head_answers_200_without_a_body_where_get_is_allowed(string url)
    {
        await Api.WithEnrolledPatient("OSC-001");
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        using var response = await Client(Admin).SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBe(0);
        ShouldHaveSecurityHeaders(response);
    }

    [Fact]
    public async Task Head_meets_the_same_access_rule_as_get()
    {
        await Api.WithEnrolledPatient("OSC-001");
        using var anonymous = await Client(null).SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/patients"));
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var analyst = Host.Services.GetRequiredService<TestUsers>().Analyst;
        using var forbidden = await Client(analyst).SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/patients/OSC-001/history"));
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // HEAD stands for GET only: a POST route still answers 405 to it.
        using var post = await Client(Admin).SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/analyses/regenerate"));
        post.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task The_api_page_fetches_nothing_from_outside_and_has_its_own_csp()
    {
        using var response = await Client(null).GetAsync("/api-docs/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldHaveSecurityHeaders(response);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldNotContain("fonts.scalar.com");
        // The vendor's script loads its fonts from its own host unless the page's configuration says otherwise.
        html.ShouldContain("\"withDefaultFonts\":false");
        System.Text.RegularExpressions.Regex.Count(html, "(src|href)=\"https?://").ShouldBe(0, html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldNotContain("http");
    }
}
