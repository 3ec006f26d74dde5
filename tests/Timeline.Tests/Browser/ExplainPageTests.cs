using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PuppeteerSharp;

namespace Timeline.Tests.Browser;

/// <summary>
/// "Explain a figure": every number of the cohort page links to explain.html, which lists exactly the patients
/// the API lists for that part of the figure; a listed patient opens the timeline with the source events marked.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExplainPageTests(BrowserFixture fixture)
{
    /// <summary>The policy another change adds to every page: no inline script, style or handler.</summary>
    const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'";

    [Fact]
    public async Task A_curve_step_opens_the_patients_of_that_step_and_a_patient_opens_its_timeline_with_the_source_events_highlighted()
    {
        var os = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/overall-survival");
        var curve = os.GetProperty("groups").EnumerateArray().First(g => g.GetProperty("name").GetString() == "mtki").GetProperty("curve");
        var step = curve.EnumerateArray().First(p => p.GetProperty("events").GetInt32() > 0);
        var time = step.GetProperty("time").GetDouble();

        await using var page = await BrowserPage.OpenAsync(fixture, "/", EnforceCsp);
        (await page.CountAsync("#os-chart a.km-step[data-group='mtki']")).ShouldBe(curve.GetArrayLength());
        // The step's link carries the API's exact time, not a rounded one.
        var selector = $"#os-chart a.km-step[data-group='mtki'][data-time='{time.ToString("R", CultureInfo.InvariantCulture)}']";
        (await page.CountAsync(selector)).ShouldBe(1);
        var href = (await page.AttributeAsync(selector, "href"))!;
        href.ShouldStartWith("explain.html?figure=overall-survival");
        Query(href)["time"].ShouldBe(time.ToString("R", CultureInfo.InvariantCulture));

        // Keyboard: focus the step, Enter follows its link.
        await page.Page.FocusAsync(selector);
        (await page.TextAsync("#tooltip")).ShouldContain("at risk");
        var navigation = page.Page.WaitForNavigationAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await navigation;
        await page.WaitUntilReadyAsync();
        page.Page.Url.ShouldContain("explain.html");

        var listed = await fixture.Api.GetFromJsonAsync<JsonElement>(
            $"api/analyses/overall-survival/patients?group=mtki&time={time.ToString("R", CultureInfo.InvariantCulture)}");
        var ids = Ids(listed);
        ids.Count.ShouldBe(step.GetProperty("events").GetInt32() + step.GetProperty("censored").GetInt32());
        (await RowIds(page)).ShouldBe(ids);
        (await page.TextAsync("#explain-count")).ShouldBe(ids.Count.ToString(CultureInfo.InvariantCulture));
        (await page.TextAsync("#explain-events")).ShouldBe(step.GetProperty("events").GetInt32().ToString(CultureInfo.InvariantCulture));
        (await page.TextAsync("#explain-part")).ShouldContain("the curve step at");
        (await page.CountAsync("#explain-table caption")).ShouldBe(1);
        (await page.CountAsync("#explain-table thead th[scope='col']")).ShouldBeGreaterThan(5);
        await page.ScreenshotAsync("explain-os-step");

        // A listed patient: its timeline with the events the value came from outlined and marked.
        var first = listed.GetProperty("patients")[0];
        var sources = first.GetProperty("sources").EnumerateObject()
            .Where(s => s.Value.ValueKind == JsonValueKind.String).Select(s => s.Value.GetString()!).Distinct().ToList();
        sources.Count.ShouldBeGreaterThan(0);
        var patientLink = $"#explain-table tbody tr[data-patient='{first.GetProperty("patientId").GetString()}'] th a";
        (await page.AttributeAsync(patientLink, "href")).ShouldBe(first.GetProperty("timelineUrl").GetString());
        navigation = page.Page.WaitForNavigationAsync();
        await page.Page.ClickAsync(patientLink);
        await navigation;
        await page.WaitUntilReadyAsync();
        (await page.TextAsync("#patient-title")).ShouldContain(first.GetProperty("patientId").GetString()!);
        var highlighted = await page.Page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('#history tbody tr.source')].map(r => r.dataset.eventId)");
        highlighted.OrderBy(s => s).ShouldBe(sources.OrderBy(s => s));
        (await page.TextAsync("#history tr.source .source-mark")).ShouldContain("source of the figure");
        (await page.CountAsync("#timeline .source .source-outline")).ShouldBeGreaterThan(0);
        (await page.AttributeAsync("#timeline .source", "aria-label"))!.ShouldStartWith("source of the figure");
        (await page.TextAsync("#source-note")).ShouldContain("source of the figure");
        // The first one is scrolled into view.
        (await page.Page.EvaluateExpressionAsync<bool>("""
            (() => { const r = document.querySelector('#timeline .source').getBoundingClientRect();
                     return r.bottom > 0 && r.top < window.innerHeight; })()
            """)).ShouldBeTrue();
        await page.ScreenshotAsync("patient-highlight");
        page.ShouldHaveNoConsoleErrors();
        (await CspViolations(page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_number_at_risk_lists_the_patients_at_risk_and_a_response_count_lists_that_many_patients()
    {
        await using var page = await BrowserPage.OpenAsync(fixture, "/", EnforceCsp);
        // The control group's number at risk at the second tick (a time past 0).
        var cells = await page.Page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll(\"#os-chart a.at-risk-link .at-risk-count[data-group='control']\")].map(t => t.dataset.time)");
        cells.Length.ShouldBeGreaterThan(1);
        var tick = cells[1];
        var cell = $"#os-chart .at-risk-count[data-group='control'][data-time='{tick}']";
        var count = int.Parse(await page.TextAsync(cell), CultureInfo.InvariantCulture);
        count.ShouldBeGreaterThan(0);
        var navigation = page.Page.WaitForNavigationAsync();
        await page.Page.ClickAsync(cell);
        await navigation;
        await page.WaitUntilReadyAsync();
        Query(page.Page.Url)["atRisk"].ShouldBe(tick);
        var atRisk = await fixture.Api.GetFromJsonAsync<JsonElement>($"api/analyses/overall-survival/patients?group=control&atRisk={tick}");
        (await RowIds(page)).ShouldBe(Ids(atRisk));
        Ids(atRisk).Count.ShouldBe(count);
        (await page.TextAsync("#explain-part")).ShouldContain("number at risk");
        await page.ScreenshotAsync("explain-at-risk");
        page.ShouldHaveNoConsoleErrors();

        // A response count (PR): that many patients, each with best response PR.
        await page.Page.GoToAsync(new Uri(fixture.App.BaseAddress, "/").ToString());
        await page.WaitUntilReadyAsync();
        var response = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/response");
        var pr = response.GetProperty("counts").GetProperty("PR").GetInt32();
        pr.ShouldBeGreaterThan(0);
        var link = "#response-table tbody a.explain[href*='category=PR']";
        (await page.TextAsync(link)).ShouldBe(pr.ToString(CultureInfo.InvariantCulture));
        navigation = page.Page.WaitForNavigationAsync();
        await page.Page.ClickAsync(link);
        await navigation;
        await page.WaitUntilReadyAsync();
        (await page.CountAsync("#explain-table tbody tr[data-patient]")).ShouldBe(pr);
        var listed = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/response/patients?category=PR");
        (await RowIds(page)).ShouldBe(Ids(listed));
        listed.GetProperty("patients").EnumerateArray().ShouldAllBe(p => p.GetProperty("bestOverallResponse").GetString() == "PR");
        page.ShouldHaveNoConsoleErrors();
        (await CspViolations(page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_swimmer_plot_draws_a_bounded_number_of_patients_and_links_to_all_of_them()
    {
        var timelineCalls = 0;
        async Task Count(IPage p)
        {
            await EnforceCsp(p);
            p.Request += (_, e) => { if (e.Request.Url.Contains("/timeline", StringComparison.Ordinal)) Interlocked.Increment(ref timelineCalls); };
        }
        await using var page = await BrowserPage.OpenAsync(fixture, "/?swimmer=5", Count);
        (await page.CountAsync("#swimmer .swimmer-bar")).ShouldBe(5);
        timelineCalls.ShouldBe(5);
        (await page.TextAsync("#swimmer-bound")).ShouldContain("Showing 5 of 18 mTKI patients");
        var all = "#swimmer-bound a";
        Query((await page.AttributeAsync(all, "href"))!)["mtki"].ShouldBe("true");
        (await page.TextAsync("#stat-mtki a")).ShouldBe("18");
        var navigation = page.Page.WaitForNavigationAsync();
        await page.Page.ClickAsync(all);
        await navigation;
        await page.WaitUntilReadyAsync();
        (await page.CountAsync("#explain-table tbody tr[data-patient]")).ShouldBe(18);
        (await page.TextAsync("#explain-count")).ShouldBe("18");
        page.ShouldHaveNoConsoleErrors();
        (await CspViolations(page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_pages_draw_under_a_strict_content_security_policy()
    {
        foreach (var path in new[] { "/", "/patient.html?id=DEMO-OS-01", "/runs.html", "/explain.html?figure=cohort" })
        {
            await using var page = await BrowserPage.OpenAsync(fixture, path, EnforceCsp);
            (await page.Page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg style, [onclick], [onload]').length")).ShouldBe(0, path);
            (await CspViolations(page)).ShouldBeEmpty(path);
            page.ShouldHaveNoConsoleErrors();
        }
    }

    /// <summary>Serves every page with the strict policy (the document's response gets the header) and records violations.</summary>
    async Task EnforceCsp(IPage page)
    {
        await page.EvaluateExpressionOnNewDocumentAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile ?? ''}:${e.lineNumber}`));
            """);
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            var request = e.Request;
            if (request.ResourceType != ResourceType.Document) { await request.ContinueAsync(); return; }
            using var client = new HttpClient();
            using var response = await client.GetAsync(request.Url);
            await request.RespondAsync(new ResponseData
            {
                Status = response.StatusCode,
                ContentType = response.Content.Headers.ContentType?.ToString() ?? "text/html",
                Body = await response.Content.ReadAsStringAsync(),
                Headers = new Dictionary<string, object> { ["Content-Security-Policy"] = Csp },
            });
        };
    }

    static Task<string[]> CspViolations(BrowserPage page) => page.Page.EvaluateExpressionAsync<string[]>("window.__csp ?? []");

    static List<string> Ids(JsonElement answer) =>
        answer.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("patientId").GetString()!).ToList();

    static Task<List<string>> RowIds(BrowserPage page) =>
        page.Page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#explain-table tbody tr[data-patient]')].map(r => r.dataset.patient)")
            .ContinueWith(t => t.Result.ToList(), TaskScheduler.Default);

    static Dictionary<string, string> Query(string url)
    {
        var q = url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..];
        return q.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));
    }
}
