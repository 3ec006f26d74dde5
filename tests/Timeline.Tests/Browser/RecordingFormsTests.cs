using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>The patient page's "Record a fact" forms, built from the OpenAPI document, as the fixture's admin.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordingFormsTests(BrowserFixture fixture)
{
    const string FollowUp = "form[data-fact='follow-ups']";

    /// <summary>A living demo patient the other browser tests leave alone.</summary>
    async Task<string> PatientAsync()
    {
        var used = new[] { "DEMO-OS-01", "DEMO-OS-02", "DEMO-OS-03", "DEMO-SS-01" };
        var patients = await fixture.Api.GetFromJsonAsync<JsonElement>("api/patients?limit=1000");
        return patients.EnumerateArray()
            .Where(p => p.GetProperty("status").GetString() is "on-treatment" or "off-treatment")
            .Select(p => p.GetProperty("patientId").GetString()!)
            .First(id => !used.Contains(id));
    }

    /// <summary>
    /// A follow-up date <paramref name="daysBefore"/> days before the patient's last contact: a real fact, yet no
    /// analysis figure moves (last contact stays), so the cohort tests sharing the fixture still see the demo's numbers.
    /// </summary>
    async Task<string> DateBeforeLastContactAsync(string id, int daysBefore)
    {
        var timeline = await fixture.Api.GetFromJsonAsync<JsonElement>($"api/patients/{id}/timeline");
        var last = DateOnly.Parse(timeline.GetProperty("lastContact").GetString()!, CultureInfo.InvariantCulture);
        return last.AddDays(-daysBefore).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    async Task<JsonElement> HistoryAsync(string id) => await fixture.Api.GetFromJsonAsync<JsonElement>($"api/patients/{id}/history");

    static Task SetAsync(BrowserPage page, string selector, string value) =>
        page.Page.EvaluateFunctionAsync("(s, v) => { document.querySelector(s).value = v; }", selector, value);

    [Fact]
    public async Task A_follow_up_recorded_through_its_form_is_in_the_history_and_a_refused_date_is_shown_at_the_field()
    {
        var id = await PatientAsync();
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={id}");

        // Every recording route has its form, each control labelled and named after the API's field.
        foreach (var fact in new[] { "diagnosis", "treatment-lines", "treatment-lines/{line}/end", "responses", "progressions",
                     "relapses", "adverse-events", "follow-ups", "death" })
            (await page.CountAsync($"form[data-fact='{fact}']")).ShouldBe(1, fact);
        (await page.CountAsync("#record-forms [name]:not([id])")).ShouldBe(0);
        (await page.Page.EvaluateExpressionAsync<int>(
            "[...document.querySelectorAll('#record-forms [name]')].filter(c => !document.querySelector(`label[for='${c.id}']`)).length")).ShouldBe(0);
        (await page.AttributeAsync($"{FollowUp} [name='date']", "type")).ShouldBe("date");
        (await page.CountAsync("form[data-fact='responses'] select[name='category'] option[value='CR']")).ShouldBe(1);
        (await page.CountAsync("form[data-fact='death'] select[name='cause'] option[value='disease']")).ShouldBe(1);
        (await page.AttributeAsync("form[data-fact='treatment-lines'] [name='agents']", "type")).ShouldBe("text");

        // Recorded through the form, submitted from the keyboard.
        var before = (await HistoryAsync(id)).GetArrayLength();
        var date = await DateBeforeLastContactAsync(id, 1);
        await SetAsync(page, $"{FollowUp} [name='date']", date);
        await page.Page.FocusAsync($"{FollowUp} button[type='submit']");
        await page.Page.Keyboard.PressAsync("Enter");
        await page.Page.WaitForFunctionAsync($"() => document.querySelector(\"{FollowUp} .form-done\").textContent !== ''"
            + $" || document.querySelector(\"{FollowUp} [role='alert']\") !== null");
        (await page.TextAsync($"{FollowUp} [role='alert']")).ShouldBeEmpty();
        var history = await HistoryAsync(id);
        history.GetArrayLength().ShouldBe(before + 1);
        var last = history[history.GetArrayLength() - 1];
        last.GetProperty("data").GetProperty("date").GetString().ShouldBe(date);
        (await page.CountAsync("#history tbody tr")).ShouldBe(before + 1);
        await page.ScreenshotAsync("record-follow-up");

        // A date before the birth date: refused, the API's message beside the date field, nothing written.
        var timeline = await fixture.Api.GetFromJsonAsync<JsonElement>($"api/patients/{id}/timeline");
        var birth = DateOnly.Parse(timeline.GetProperty("demographics").GetProperty("birthDate").GetString()!, CultureInfo.InvariantCulture);
        page.ExpectRefusal(400);
        await SetAsync(page, $"{FollowUp} [name='date']", birth.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Page.ClickAsync($"{FollowUp} button[type='submit']");
        var alert = $"{FollowUp} .form-field[data-field='date'] [role='alert']";
        await page.Page.WaitForSelectorAsync(alert);
        (await page.TextAsync(alert)).ShouldContain("birth");
        (await page.AttributeAsync($"{FollowUp} [name='date']", "aria-invalid")).ShouldBe("true");
        (await HistoryAsync(id)).GetArrayLength().ShouldBe(before + 1);
        await page.ScreenshotAsync("record-refused");
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task A_fact_recorded_meanwhile_asks_to_reload_and_the_retry_records_against_the_new_version()
    {
        var id = await PatientAsync();
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={id}");
        var date = await DateBeforeLastContactAsync(id, 2);
        (await fixture.Api.PostAsJsonAsync($"api/patients/{id}/follow-ups", new { date })).EnsureSuccessStatusCode();
        var before = (await HistoryAsync(id)).GetArrayLength();

        page.ExpectRefusal(412);
        await SetAsync(page, $"{FollowUp} [name='date']", date);
        await page.Page.ClickAsync($"{FollowUp} button[type='submit']");
        await page.Page.WaitForSelectorAsync($"{FollowUp} .form-error button.retry");
        (await page.TextAsync($"{FollowUp} .form-error")).ShouldContain("someone recorded meanwhile", Case.Insensitive);
        (await HistoryAsync(id)).GetArrayLength().ShouldBe(before);

        await page.Page.ClickAsync($"{FollowUp} .form-error button.retry");
        await page.Page.WaitForFunctionAsync($"() => document.querySelector(\"{FollowUp} .form-done\").textContent !== ''");
        (await HistoryAsync(id)).GetArrayLength().ShouldBe(before + 1);
        page.ShouldHaveNoConsoleErrors();
    }
}
