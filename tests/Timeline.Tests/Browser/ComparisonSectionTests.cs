using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>
/// The cohort page's honest comparisons (issue 12): the time-dependent exposure (Mantel–Byar, Cox, Simon–Makuch)
/// and the 6-month landmark beside the paper's comparison, as the API answers them for the SYNTHETIC demo cohort.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ComparisonSectionTests(BrowserFixture fixture)
{
    static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    static string F2(double x) => x.ToString("0.00", CultureInfo.InvariantCulture);

    static JsonElement MtkiTerm(JsonElement cox) =>
        cox.GetProperty("terms").EnumerateArray().First(t => t.GetProperty("name").GetString() == "mtki");

    static string HazardRatio(JsonElement term) =>
        $"{F2(term.GetProperty("hazardRatio").GetDouble())} ({F2(term.GetProperty("lower").GetDouble())}–{F2(term.GetProperty("upper").GetDouble())})";

    [Fact]
    public async Task The_page_shows_the_mantel_byar_test_and_the_time_dependent_hazard_ratio_the_api_answers_and_two_simon_makuch_curves()
    {
        var td = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/overall-survival/time-dependent");
        var os = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/overall-survival");
        var landmark = (await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/overall-survival/landmark?at=6"))
            .GetProperty("landmarks")[0];

        await using var page = await BrowserPage.OpenAsync(fixture, "/");

        // Mantel–Byar: the same chi-square and p as the API, as displayed.
        var mb = td.GetProperty("mantelByar");
        var mbText = await page.TextAsync("#td-mantel-byar");
        mbText.ShouldBe($"Mantel–Byar χ²({mb.GetProperty("df").GetInt32()}) = {F2(mb.GetProperty("chiSquare").GetDouble())}, p = {P(mb.GetProperty("p").GetDouble())}");
        double.Parse((await page.AttributeAsync("#td-mantel-byar", "data-p"))!, CultureInfo.InvariantCulture).ShouldBe(mb.GetProperty("p").GetDouble());

        // The time-dependent Cox hazard ratio of mtki, its interval and p.
        var term = MtkiTerm(td.GetProperty("cox"));
        var hrText = await page.TextAsync("#td-hr");
        hrText.ShouldContain($"{HazardRatio(term)}, p = {P(term.GetProperty("p").GetDouble())}");

        // The table: the paper's comparison, the time-dependent one and the landmark, side by side.
        (await page.TextAsync("#compare-table tr[data-comparison='time-dependent'] td.hr")).ShouldBe(HazardRatio(term));
        (await page.TextAsync("#compare-table tr[data-comparison='naive'] td.hr")).ShouldBe(HazardRatio(MtkiTerm(os.GetProperty("cox"))));
        (await page.TextAsync("#compare-table tr[data-comparison='landmark'] td.hr")).ShouldBe(HazardRatio(MtkiTerm(landmark.GetProperty("cox"))));
        (await page.TextAsync("#compare-table tr[data-comparison='landmark'] th")).ShouldBe("Landmark at 6 months");
        (await page.CountAsync("#compare-table [role='note'][aria-label]")).ShouldBe(3);
        (await page.TextAsync("#compare-why")).ShouldContain("immortal-time bias");

        // The Simon–Makuch plot: two curves, unexposed and mTKI, drawn with the Kaplan–Meier plot.
        (await page.CountAsync("#td-chart svg#td-svg")).ShouldBe(1);
        (await page.CountAsync("#td-chart .km-curve")).ShouldBe(2);
        (await page.CountAsync("#td-chart .km-curve[data-group='unexposed'] path")).ShouldBe(1);
        (await page.CountAsync("#td-chart .km-curve[data-group='mtki'] path")).ShouldBe(1);
        await page.Page.EvaluateExpressionAsync("document.getElementById('time-dependent').scrollIntoView()");
        await page.ScreenshotAsync("cohort-comparisons");

        // Its download: the plot as PNG, like the others.
        var png = await page.Page.EvaluateExpressionAsync<string>("""
            import('./js/download.js').then(m => m.svgToPng(document.querySelector('#td-svg')))
              .then(b => new Promise(r => { const f = new FileReader(); f.onload = () => r(f.result); f.readAsDataURL(b); }))
            """);
        png.ShouldStartWith("data:image/png;base64,");

        // And its curves as CSV: one row per curve point, R's survfit column names.
        var csv = await page.Page.EvaluateExpressionAsync<string>("""
            Promise.all([import('./js/comparisons.js'), import('./js/download.js')])
              .then(([c, d]) => d.toCsv(c.simonMakuchRows(window.timelinePage.state.data.timeDependent)))
            """);
        var lines = csv.TrimEnd('\n').Split('\n');
        lines[0].ShouldBe("group,time,n_risk,n_event,n_censor,surv,lower,upper");
        lines.Length.ShouldBe(1 + td.GetProperty("simonMakuch").EnumerateArray().Sum(c => c.GetProperty("curve").GetArrayLength()));
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_filters_reach_the_comparison_routes_and_their_warnings_show_in_the_apis_words()
    {
        // Chondrosarcoma: one patient, so the time-dependent analysis has nothing to compare and says so.
        var td = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/overall-survival/time-dependent?histology=chondrosarcoma&unit=weeks");
        var warnings = td.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        warnings.ShouldNotBeEmpty();

        await using var page = await BrowserPage.OpenAsync(fixture, "/?histology=chondrosarcoma&unit=weeks");
        var note = await page.TextAsync("#compare-table tr[data-comparison='time-dependent'] [role='note']");
        foreach (var w in warnings) note.ShouldContain(w);
        (await page.TextAsync("#td-warnings [role='note']")).ShouldContain(warnings[0]);
        (await page.TextAsync("#td-mantel-byar")).ShouldBe("Mantel–Byar: not computable");
        (await page.TextAsync("#compare-table tr[data-comparison='landmark'] th")).ShouldBe("Landmark at 6 months (26.1 weeks)");
        page.ShouldHaveNoConsoleErrors();
    }
}
