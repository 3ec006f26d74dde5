using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>The patient and runs pages in headless Chromium against the app with the SYNTHETIC demo cohort.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PatientPageTests(BrowserFixture fixture)
{
    const string GradeReason = "Grade re-read from the CTCAE form (browser test)";
    const string RetractReason = "Relapse entered twice from the same scan (browser test)";

    [Fact]
    public async Task The_patient_page_marks_a_corrected_and_a_retracted_entry_with_their_reasons_on_focus_and_in_the_history()
    {
        var timeline = await fixture.Api.GetFromJsonAsync<JsonElement>("api/patients/DEMO-OS-02/timeline");
        var adverse = timeline.GetProperty("adverseEvents")[0];
        var relapse = timeline.GetProperty("relapses")[0];
        (await fixture.Api.PostAsJsonAsync("api/patients/DEMO-OS-02/corrections", new
        {
            eventId = adverse.GetProperty("eventId").GetGuid(),
            reason = GradeReason,
            replacement = new
            {
                date = adverse.GetProperty("date").GetString(), line = adverse.GetProperty("line").GetInt32(),
                term = adverse.GetProperty("term").GetString(), grade = 3,
            },
        })).EnsureSuccessStatusCode();
        (await fixture.Api.PostAsJsonAsync("api/patients/DEMO-OS-02/corrections", new
        {
            eventId = relapse.GetProperty("eventId").GetGuid(), reason = RetractReason, retract = true,
        })).EnsureSuccessStatusCode();

        await using var page = await BrowserPage.OpenAsync(fixture, "/patient.html?id=DEMO-OS-02");
        (await page.CountAsync("#timeline .tl-line")).ShouldBe(timeline.GetProperty("treatmentLines").GetArrayLength());

        var corrected = $"#timeline .tl-marker.corrected[data-event-id='{adverse.GetProperty("eventId").GetGuid()}']";
        (await page.CountAsync(corrected)).ShouldBe(1);
        (await page.AttributeAsync(corrected, "aria-label"))!.ShouldContain(GradeReason);
        (await page.AttributeAsync(corrected, "tabindex")).ShouldBe("0");
        await page.Page.FocusAsync(corrected);
        (await page.TextAsync("#tooltip")).ShouldContain(GradeReason);
        (await page.Page.EvaluateExpressionAsync<bool>("!document.getElementById('tooltip').hidden")).ShouldBeTrue();
        await page.ScreenshotAsync("patient-corrected-focus");

        var retracted = $"#timeline .tl-ghost.retracted[data-event-id='{relapse.GetProperty("eventId").GetGuid()}']";
        (await page.AttributeAsync(retracted, "aria-label"))!.ShouldContain(RetractReason);

        // The audit history: every event, the corrected and retracted ones marked, each correction with its reason.
        var history = await fixture.Api.GetFromJsonAsync<JsonElement>("api/patients/DEMO-OS-02/history");
        (await page.CountAsync("#history tbody tr")).ShouldBe(history.GetArrayLength());
        (await page.TextAsync("#history tr.status-corrected")).ShouldContain(GradeReason);
        (await page.TextAsync("#history tr.status-retracted")).ShouldContain(RetractReason);
        (await page.CountAsync("#history tr.is-correction")).ShouldBe(2);
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_runs_page_regenerates_and_shows_the_diff_between_two_runs()
    {
        await using var page = await BrowserPage.OpenAsync(fixture, "/runs.html");
        var before = await page.CountAsync("#runs tbody tr[data-run-id]");
        for (var i = 0; i < 2; i++)
        {
            await page.Page.ClickAsync("#regenerate");
            await page.WaitUntilReadyAsync();
            await page.Page.WaitForFunctionAsync($"() => document.querySelectorAll('#runs tbody tr[data-run-id]').length === {before + i + 1}");
        }
        var runs = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/runs");
        (await page.CountAsync("#runs tbody tr[data-run-id]")).ShouldBe(runs.GetArrayLength());
        (await page.TextAsync("#run-figure-table")).ShouldContain("32 / 18");

        await page.Page.ClickAsync("#compare");
        await page.WaitUntilReadyAsync();
        (await page.TextAsync("#diff")).ShouldContain("0 figures changed"); // nothing was recorded between the two
        await page.ScreenshotAsync("runs");
        page.ShouldHaveNoConsoleErrors();
    }
}
