using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>The cohort page in headless Chromium against the app with the SYNTHETIC demo cohort.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CohortPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_swimmer_plot_has_one_bar_per_mtki_patient_and_a_bar_opens_its_timeline_from_the_keyboard()
    {
        var rows = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/patients");
        var mtki = rows.GetProperty("patients").EnumerateArray().Count(r => r.GetProperty("firstMtkiStart").ValueKind == JsonValueKind.String);
        mtki.ShouldBe(18);

        await using var page = await BrowserPage.OpenAsync(fixture, "/");
        (await page.CountAsync("#swimmer .swimmer-bar")).ShouldBe(mtki);
        (await page.CountAsync("#swimmer .swimmer-bar[tabindex='0'][aria-label]")).ShouldBe(mtki);
        (await page.CountAsync("#swimmer .swimmer-marker.death")).ShouldBeGreaterThan(0);
        (await page.CountAsync("#swimmer .swimmer-marker.progression")).ShouldBeGreaterThan(0);
        (await page.CountAsync("#swimmer .swimmer-marker.response")).ShouldBeGreaterThan(0);
        (await page.TextAsync("#stat-mtki")).ShouldBe("18");
        // Longest on top: the bars' lengths never grow down the plot.
        var widths = await page.Page.EvaluateExpressionAsync<double[]>(
            "[...document.querySelectorAll('#swimmer .swimmer-bar')].map(b => +b.querySelector('rect:not(.hit)').getAttribute('width'))");
        widths.ShouldBe(widths.OrderByDescending(w => w).ToArray());
        await page.ScreenshotAsync("cohort");
        await page.Page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = 1366, Height = 768 });
        await page.ScreenshotAsync("cohort-laptop-1366x768");
        await page.Page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = 1280, Height = 800 });

        // Keyboard: the first bar takes focus, shows its details, and Enter opens the patient's timeline.
        await page.Page.FocusAsync("#swimmer .swimmer-bar");
        var label = await page.Page.EvaluateExpressionAsync<string>("document.activeElement.getAttribute('aria-label')");
        (await page.TextAsync("#tooltip")).ShouldBe(label);
        var patient = await page.Page.EvaluateExpressionAsync<string>("document.activeElement.dataset.patient");
        var navigation = page.Page.WaitForNavigationAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await navigation;
        await page.WaitUntilReadyAsync();
        (await page.TextAsync("#patient-title")).ShouldContain(patient);
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_kaplan_meier_plot_has_one_curve_per_group_and_the_same_log_rank_p_as_the_api()
    {
        await using var page = await BrowserPage.OpenAsync(fixture, "/");
        foreach (var histology in new[] { "", "osteosarcoma" })
        {
            if (histology.Length > 0) await page.ChangeAsync("#histology", histology);
            var os = await fixture.Api.GetFromJsonAsync<JsonElement>($"api/analyses/overall-survival?histology={histology}");
            var groups = os.GetProperty("groups").EnumerateArray().ToList();
            (await page.CountAsync("#os-chart .km-curve")).ShouldBe(groups.Count);
            foreach (var g in groups)
            {
                var name = g.GetProperty("name").GetString();
                (await page.CountAsync($"#os-chart .km-curve[data-group='{name}'] path")).ShouldBe(1);
                // The number at risk at time 0 is the group's size.
                (await page.TextAsync($"#os-chart .at-risk-count[data-group='{name}'][data-time='0']")).ShouldBe(g.GetProperty("n").GetInt32().ToString(CultureInfo.InvariantCulture));
            }
            var p = os.GetProperty("logRank").GetProperty("p").GetDouble();
            double.Parse((await page.AttributeAsync("#os-logrank", "data-p"))!, CultureInfo.InvariantCulture).ShouldBe(p);
            (await page.TextAsync("#os-logrank")).ShouldContain($"p = {p.ToString("0.000", CultureInfo.InvariantCulture)}");
        }
        (await page.TextAsync("#os-logrank")).ShouldBe("Log-rank χ²(1) = 8.13, p = 0.004"); // the study's figure, osteosarcoma
        (await page.CountAsync("#ttp-chart .km-curve")).ShouldBe(2);                     // TTP, and PFS beside it
        (await page.CountAsync("#os-chart .km-censored line")).ShouldBeGreaterThan(0);
        await page.ScreenshotAsync("cohort-osteosarcoma");

        // Downloads: the plot as PNG (the serialized SVG drawn on a canvas) and the data set as CSV.
        var png = await page.Page.EvaluateExpressionAsync<string>("""
            import('./js/download.js').then(m => m.svgToPng(document.querySelector('#os-svg')))
              .then(b => new Promise(r => { const f = new FileReader(); f.onload = () => r(f.result); f.readAsDataURL(b); }))
            """);
        png.ShouldStartWith("data:image/png;base64,");
        var bytes = Convert.FromBase64String(png["data:image/png;base64,".Length..]);
        bytes.Length.ShouldBeGreaterThan(10_000);
        await File.WriteAllBytesAsync(Path.Combine(BrowserFixture.ScreenshotDirectory, "download-overall-survival.png"), bytes);
        var csv = await page.Page.EvaluateExpressionAsync<string>(
            "window.timelinePage.patientRows().then(rows => import('./js/download.js').then(m => m.toCsv(rows)))");
        var lines = csv.TrimEnd('\n').Split('\n');
        lines[0].ShouldBe("patient_id,histology,group,exclusion_reason,anchor,anchor_kind,os_time,os_status,first_mtki_start,first_mtki_drug,age_at_mtki_start,ttp_time,ttp_status,pfs_time,pfs_status,bor");
        lines.Length.ShouldBe(1 + 27); // the osteosarcoma patients, filter applied
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_as_of_filter_redraws_the_figures_from_the_events_known_before_a_correction()
    {
        // A response of DEMO-OS-01's first mTKI line, corrected from SD to PR after the moment taken.
        var timeline = await fixture.Api.GetFromJsonAsync<JsonElement>("api/patients/DEMO-OS-01/timeline");
        var line = timeline.GetProperty("treatmentLines").EnumerateArray().First(l => l.GetProperty("isMtki").GetBoolean());
        var sd = line.GetProperty("responses").EnumerateArray().First(r => r.GetProperty("category").GetString() == "SD");
        await Task.Delay(1100);
        var before = DateTimeOffset.UtcNow;
        before = before.AddTicks(-(before.Ticks % TimeSpan.TicksPerSecond)); // the input holds whole seconds
        await Task.Delay(1100);
        var correction = await fixture.Api.PostAsJsonAsync("api/patients/DEMO-OS-01/corrections", new
        {
            eventId = sd.GetProperty("eventId").GetGuid(),
            reason = "Central radiology review: partial response (browser test)",
            replacement = new { date = sd.GetProperty("date").GetString(), line = line.GetProperty("line").GetInt32(), category = "PR" },
        });
        correction.EnsureSuccessStatusCode();

        await using var page = await BrowserPage.OpenAsync(fixture, "/");
        var orrNow = await page.TextAsync("#orr");
        var respondersNow = await page.CountAsync("#swimmer .swimmer-marker.response");

        await page.ChangeAsync("#asof", before.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        (await page.TextAsync("#basis")).ShouldContain("As of");
        var orrThen = await page.TextAsync("#orr");
        orrThen.ShouldNotBe(orrNow);
        orrThen.ShouldStartWith(await ExpectedOrr(before));
        orrNow.ShouldStartWith(await ExpectedOrr(null));
        (await page.CountAsync("#swimmer .swimmer-marker.response")).ShouldBe(respondersNow - 1);
        page.Page.Url.ShouldContain("asOf=");
        await page.ScreenshotAsync("cohort-as-of");
        page.ShouldHaveNoConsoleErrors();
    }

    /// <summary>The page's ORR text ("16.7% (3 of 18") as the API gives the figure then or now.</summary>
    async Task<string> ExpectedOrr(DateTimeOffset? asOf)
    {
        var query = asOf is null ? "" : "?asOf=" + Uri.EscapeDataString(asOf.Value.ToString("O", CultureInfo.InvariantCulture));
        var r = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/response" + query);
        var counts = r.GetProperty("counts");
        var responders = counts.GetProperty("CR").GetInt32() + counts.GetProperty("PR").GetInt32();
        var orr = (100 * r.GetProperty("orr").GetDouble()).ToString("0.0", CultureInfo.InvariantCulture);
        return $"{orr}% ({responders} of {r.GetProperty("n").GetInt32()}";
    }
}
