using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>"Correct" and "Retract" in the patient page's audit history, as the fixture's admin.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CorrectionFormsTests(BrowserFixture fixture)
{
    /// <summary>
    /// A demo patient no other browser test touches. Died after a follow-up, so retracting that follow-up moves no
    /// last contact, and an adverse event's grade enters no figure: the cohort tests still see the demo's numbers.
    /// </summary>
    const string Patient = "DEMO-OS-12";

    async Task<JsonElement> HistoryAsync() => await fixture.Api.GetFromJsonAsync<JsonElement>($"api/patients/{Patient}/history");

    static string EventOf(JsonElement history, string kind) => history.EnumerateArray()
        .First(e => e.GetProperty("data").TryGetProperty("kind", out var k) && k.GetString() == kind
            && e.GetProperty("status").GetString() == "active")
        .GetProperty("eventId").GetString()!;

    static Task SetAsync(BrowserPage page, string selector, string value) =>
        page.Page.EvaluateFunctionAsync("(s, v) => { document.querySelector(s).value = v; }", selector, value);

    [Fact]
    public async Task A_fact_is_corrected_with_a_reason_a_reasonless_correction_is_refused_and_a_follow_up_is_retracted()
    {
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Patient}");
        var history = await HistoryAsync();
        var before = history.GetArrayLength();
        var adverse = EventOf(history, "adverse-event");
        var followUp = EventOf(history, "follow-up");
        var enrolment = EventOf(history, "enrolment");
        (await page.CountAsync($"#history tr[data-event-id='{enrolment}'] button[data-change='correct']")).ShouldBe(1); // corrected, never retracted
        (await page.CountAsync($"#history tr[data-event-id='{enrolment}'] button[data-change='retract']")).ShouldBe(0);
        (await page.CountAsync($"#history tr[data-event-id='{adverse}'] button[data-change]")).ShouldBe(2);

        // "Correct" opens the adverse event's recording form, prefilled, with the reason for change.
        await page.Page.ClickAsync($"#history tr[data-event-id='{adverse}'] button[data-change='correct']");
        const string Form = "#history form.change-form[data-change='correct']";
        await page.Page.WaitForSelectorAsync(Form);
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Form} [name='grade']\").value")).ShouldBe("2");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Form} [name='term']\").value"))
            .ShouldBe("Palmar-plantar erythrodysesthesia syndrome");
        (await page.AttributeAsync($"{Form} [name='correction-reason']", "aria-required")).ShouldBe("true");

        // Without a reason: refused, the API's message beside the reason, nothing written.
        page.ExpectRefusal(400);
        await SetAsync(page, $"{Form} [name='grade']", "3");
        await page.Page.ClickAsync($"{Form} button[type='submit']");
        var alert = $"{Form} .form-field[data-field='correction-reason'] [role='alert']";
        await page.Page.WaitForSelectorAsync(alert);
        (await page.TextAsync(alert)).ShouldNotBeEmpty();
        (await HistoryAsync()).GetArrayLength().ShouldBe(before);
        await page.ScreenshotAsync("correction-refused");

        // With a reason: recorded against the version shown, the page reloads, the history shows old and new.
        const string Reason = "Grade misread from the clinic letter";
        await SetAsync(page, $"{Form} [name='correction-reason']", Reason);
        await page.Page.ClickAsync($"{Form} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent !== ''");
        history = await HistoryAsync();
        history.GetArrayLength().ShouldBe(before + 1);
        var original = history.EnumerateArray().First(e => e.GetProperty("eventId").GetString() == adverse);
        original.GetProperty("status").GetString().ShouldBe("corrected");
        var correction = history[before];
        correction.GetProperty("correction").GetProperty("eventId").GetString().ShouldBe(adverse);
        correction.GetProperty("correction").GetProperty("reason").GetString().ShouldBe(Reason);
        correction.GetProperty("data").GetProperty("replacement").GetProperty("grade").GetInt32().ShouldBe(3);
        var correctionRow = $"#history tr[data-event-id='{correction.GetProperty("eventId").GetString()}']";
        (await page.TextAsync(correctionRow)).ShouldContain(Reason);
        (await page.TextAsync(correctionRow)).ShouldContain("grade 2");
        (await page.TextAsync(correctionRow)).ShouldContain("grade 3");
        (await page.CountAsync($"#history tr[data-event-id='{adverse}'] button[data-change]")).ShouldBe(0);
        (await page.CountAsync($"{correctionRow} button[data-change]")).ShouldBe(2);
        await page.ScreenshotAsync("correction-recorded");

        // "Retract" asks for the reason only.
        await page.Page.ClickAsync($"#history tr[data-event-id='{followUp}'] button[data-change='retract']");
        const string Retract = "#history form.change-form[data-change='retract']";
        await page.Page.WaitForSelectorAsync(Retract);
        (await page.CountAsync($"{Retract} .form-field")).ShouldBe(1);
        await SetAsync(page, $"{Retract} [name='correction-reason']", "Entered for the wrong patient");
        await page.Page.ClickAsync($"{Retract} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent.includes('retract')");
        history = await HistoryAsync();
        history.GetArrayLength().ShouldBe(before + 2);
        history.EnumerateArray().First(e => e.GetProperty("eventId").GetString() == followUp)
            .GetProperty("status").GetString().ShouldBe("retracted");
        (await page.CountAsync($"#history tr[data-event-id='{followUp}'] button[data-change]")).ShouldBe(0);
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task Recording_and_correcting_are_off_while_the_record_is_locked_and_for_a_role_that_cannot_record()
    {
        const string Lock = "Database lock for the interim analysis";
        (await fixture.Api.PostAsJsonAsync($"api/patients/{Patient}/lock", new { reason = Lock })).EnsureSuccessStatusCode();
        try
        {
            await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Patient}");
            (await page.CountAsync("#history button[data-change]")).ShouldBe(0);
            (await page.CountAsync("#record fieldset.fact:not([disabled])")).ShouldBe(0);
            (await page.TextAsync("#record-note")).ShouldContain("locked");
            (await page.TextAsync("#change-note")).ShouldContain(Lock);
            page.ShouldHaveNoConsoleErrors();
        }
        finally
        {
            (await fixture.Api.PostAsJsonAsync($"api/patients/{Patient}/unlock", new { reason = "Interim analysis done" })).EnsureSuccessStatusCode();
        }

        // An auditor (here /api/me answered as one) sees the history without the buttons and the forms switched off.
        await using var auditor = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Patient}", async tab =>
        {
            await tab.SetRequestInterceptionAsync(true);
            tab.Request += async (_, e) =>
            {
                if (e.Request.Url.EndsWith("/api/me", StringComparison.Ordinal))
                    await e.Request.RespondAsync(new PuppeteerSharp.ResponseData
                    {
                        Status = System.Net.HttpStatusCode.OK, ContentType = "application/json", Body = """{"name":"aud","roles":["auditor"]}""",
                    });
                else await e.Request.ContinueAsync();
            };
        });
        (await auditor.CountAsync("#history tbody tr")).ShouldBeGreaterThan(0);
        (await auditor.CountAsync("#history button[data-change]")).ShouldBe(0);
        (await auditor.CountAsync("#record fieldset.fact:not([disabled])")).ShouldBe(0);
        (await auditor.TextAsync("#record-note")).ShouldContain("role");
        auditor.ShouldHaveNoConsoleErrors();
    }
}
