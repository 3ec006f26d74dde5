using System.Text.Json;
using static Timeline.Tests.Browser.FormSteps;

namespace Timeline.Tests.Browser;

/// <summary>
/// Corrections and retractions from the audit history, with reasons, the enrolment included; the forms driven from the
/// keyboard alone; axe-core in the pages with the forms open. Each step checked against the API's history.
/// </summary>
[Collection(RecordingCollection.Name)]
public sealed class CorrectFromThePageTests(BrowserFixture fixture)
{
    const string Change = "#history form.change-form";

    /// <summary>A SYNTHETIC patient: born 2006-04-12, osteosarcoma on 2019-03-01, line 1, two follow-ups.</summary>
    static async Task SetUpAsync(Recorder recorder, string id)
    {
        await recorder.PostAsync("api/patients", new { patientId = id, birthDate = "2006-04-12", sex = "female" });
        await recorder.PostAsync($"api/patients/{id}/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "tibia" });
        await recorder.PostAsync($"api/patients/{id}/treatment-lines", new { line = 1, startDate = "2019-03-20", regimen = "MAP", agents = new[] { "methotrexate" } });
        await recorder.PostAsync($"api/patients/{id}/follow-ups", new { date = "2019-06-01" });
        await recorder.PostAsync($"api/patients/{id}/follow-ups", new { date = "2019-07-01" });
    }

    static string EventOf(JsonElement[] history, string kind, string? date = null) => history
        .First(e => e.GetProperty("data").TryGetProperty("kind", out var k) && k.GetString() == kind
            && (date is null || e.GetProperty("data").GetProperty("date").GetString() == date))
        .GetProperty("eventId").GetString()!;

    static string Row(string eventId) => $"#history tr[data-event-id='{eventId}']";

    [Fact]
    public async Task The_enrolment_is_corrected_with_a_reason_within_the_rules_and_a_follow_up_is_retracted()
    {
        // Correcting from the history needs the history: a recorder who is also an auditor (a recorder alone does not read it).
        using var recorder = await Recorder.CreateAsync(fixture, "rec-correct", "recorder,auditor");
        const string Id = "SYN-CORRECT-01";
        await SetUpAsync(recorder, Id);
        var history = await recorder.HistoryAsync(Id);
        var enrolment = EventOf(history, "enrolment");
        var followUp = EventOf(history, "follow-up", "2019-06-01");

        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Id}", token: recorder.Token, expectRefusals: [403]);
        page.ExpectRefusal(400);
        // The enrolment row: Correct, no Retract, and why.
        (await page.CountAsync($"{Row(enrolment)} button[data-change='correct']")).ShouldBe(1);
        (await page.CountAsync($"{Row(enrolment)} button[data-change='retract']")).ShouldBe(0);
        (await page.TextAsync(Row(enrolment))).ShouldContain("cannot be retracted");

        // Correct opens the enrolment's form, prefilled, with the reason; a birth date after the diagnosis is refused
        // beside the birth date, and nothing is written.
        await page.Page.ClickAsync($"{Row(enrolment)} button[data-change='correct']");
        await page.Page.WaitForSelectorAsync($"{Change}[data-change='correct']");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Change} [name='birthDate']\").value")).ShouldBe("2006-04-12");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Change} [name='sex']\").value")).ShouldBe("female");
        (await page.CountAsync($"{Change} [name='patientId']")).ShouldBe(0);
        (await UnlabelledControlsAsync(page, Change)).ShouldBeEmpty();
        const string Reason = "Birth date transposed from the referral letter";
        await FillAsync(page, Change, new Dictionary<string, string> { ["birthDate"] = "2019-03-02", ["correction-reason"] = Reason });
        await SubmitAsync(page, Change);
        var alert = $"{Change} .form-field[data-field='birthDate'] [role='alert']";
        (await page.TextAsync(alert)).ShouldContain("2019-03-01");
        (await page.Page.EvaluateFunctionAsync<bool>("s => document.activeElement === document.querySelector(s)", alert)).ShouldBeTrue();
        (await recorder.HistoryAsync(Id)).Length.ShouldBe(history.Length);

        await FillAsync(page, Change, new Dictionary<string, string> { ["birthDate"] = "2006-12-04" });
        await page.Page.ClickAsync($"{Change} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent !== ''");
        (await page.Page.EvaluateExpressionAsync<string>("document.activeElement.id")).ShouldBe("change-done");
        var now = await recorder.HistoryAsync(Id);
        now.Length.ShouldBe(history.Length + 1);
        now.Single(e => e.GetProperty("eventId").GetString() == enrolment).GetProperty("status").GetString().ShouldBe("corrected");
        var correction = now[^1];
        correction.GetProperty("type").GetString().ShouldBe("fact-corrected");
        correction.GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        correction.GetProperty("correction").GetProperty("eventId").GetString().ShouldBe(enrolment);
        correction.GetProperty("correction").GetProperty("reason").GetString().ShouldBe(Reason);
        var replacement = correction.GetProperty("data").GetProperty("replacement");
        replacement.GetProperty("birthDate").GetString().ShouldBe("2006-12-04");
        replacement.GetProperty("sex").GetString().ShouldBe("female");

        // The history shows the old and the new value side by side, with the reason.
        var correctionRow = Row(correction.GetProperty("eventId").GetString()!);
        (await page.TextAsync($"{correctionRow} .side-by-side > div:first-child")).ShouldContain("2006-04-12");
        (await page.TextAsync($"{correctionRow} .side-by-side > div:last-child")).ShouldContain("2006-12-04");
        (await page.TextAsync(correctionRow)).ShouldContain(Reason);
        (await page.TextAsync("#facts")).ShouldContain("2006-12-04");
        await page.ScreenshotAsync("correct-enrolment");

        // Retract: the reason only; without one it is refused beside it.
        await page.Page.ClickAsync($"{Row(followUp)} button[data-change='retract']");
        var retract = $"{Change}[data-change='retract']";
        await page.Page.WaitForSelectorAsync(retract);
        await SubmitAsync(page, retract);
        (await page.CountAsync($"{retract} .form-field[data-field='correction-reason'] [role='alert']")).ShouldBe(1);
        (await recorder.HistoryAsync(Id)).Length.ShouldBe(now.Length);
        const string Why = "Entered for the wrong patient";
        await FillAsync(page, retract, new Dictionary<string, string> { ["correction-reason"] = Why });
        await page.Page.ClickAsync($"{retract} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent.includes('retract')");
        var after = await recorder.HistoryAsync(Id);
        after.Length.ShouldBe(now.Length + 1);
        after.Single(e => e.GetProperty("eventId").GetString() == followUp).GetProperty("status").GetString().ShouldBe("retracted");
        after[^1].GetProperty("type").GetString().ShouldBe("fact-retracted");
        after[^1].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        after[^1].GetProperty("correction").GetProperty("reason").GetString().ShouldBe(Why);
        (await page.CountAsync($"{Row(followUp)} button[data-change]")).ShouldBe(0);
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task A_recorder_who_may_not_read_the_history_corrects_and_retracts_from_the_facts_in_force()
    {
        using var recorder = await Recorder.CreateAsync(fixture, "rec-only");
        const string Id = "SYN-RECORDER-01";
        await SetUpAsync(recorder, Id);
        var history = await recorder.HistoryAsync(Id); // read as the fixture's admin: the recorder may not
        var line = EventOf(history, "treatment-line");
        var followUp = EventOf(history, "follow-up", "2019-07-01");
        var enrolment = EventOf(history, "enrolment");

        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Id}", token: recorder.Token, expectRefusals: [403]);
        page.ExpectRefusal(400);
        (await page.CountAsync("#history tbody tr")).ShouldBe(0);
        const string Facts = "#recorder-facts .facts-in-force";
        (await page.CountAsync($"{Facts} li")).ShouldBe(history.Length); // every fact, the enrolment first
        string Item(string eventId) => $"{Facts} li[data-event-id='{eventId}']";

        // Correct line 1: its form prefilled from the timeline; the regimen changed, with a reason.
        await page.Page.ClickAsync($"{Item(line)} button[data-change='correct']");
        var form = $"{Item(line)} form.change-form[data-change='correct']";
        await page.Page.WaitForSelectorAsync(form);
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{form} [name='agents']\").value")).ShouldBe("methotrexate");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{form} [name='startDate']\").value")).ShouldBe("2019-03-20");
        (await UnlabelledControlsAsync(page, form)).ShouldBeEmpty();
        var violations = await Accessibility.CheckAsync(page.Page);
        violations.AtLeast("serious").ShouldBeEmpty(string.Join('\n', violations));
        const string Reason = "Regimen named in the protocol deviation log";
        await FillAsync(page, form, new Dictionary<string, string> { ["regimen"] = "MAP (reduced)", ["correction-reason"] = Reason });
        await page.Page.ClickAsync($"{form} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent.includes('Correction')");
        (await page.Page.EvaluateExpressionAsync<string>("document.activeElement.id")).ShouldBe("change-done");
        var now = await recorder.HistoryAsync(Id);
        now.Length.ShouldBe(history.Length + 1);
        now[^1].GetProperty("type").GetString().ShouldBe("fact-corrected");
        now[^1].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        now[^1].GetProperty("correction").GetProperty("eventId").GetString().ShouldBe(line);
        now[^1].GetProperty("correction").GetProperty("reason").GetString().ShouldBe(Reason);
        now[^1].GetProperty("data").GetProperty("replacement").GetProperty("regimen").GetString().ShouldBe("MAP (reduced)");
        now[^1].GetProperty("data").GetProperty("replacement").GetProperty("startDate").GetString().ShouldBe("2019-03-20");
        (await page.TextAsync(Item(line))).ShouldContain("MAP (reduced)");

        // Retract the later follow-up, with a reason.
        await page.Page.ClickAsync($"{Item(followUp)} button[data-change='retract']");
        var retract = $"{Item(followUp)} form.change-form[data-change='retract']";
        await page.Page.WaitForSelectorAsync(retract);
        await FillAsync(page, retract, new Dictionary<string, string> { ["correction-reason"] = "Visit belonged to another patient" });
        await page.Page.ClickAsync($"{retract} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent.includes('Retraction')");
        var after = await recorder.HistoryAsync(Id);
        after.Length.ShouldBe(now.Length + 1);
        after[^1].GetProperty("type").GetString().ShouldBe("fact-retracted");
        after[^1].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        after[^1].GetProperty("correction").GetProperty("reason").GetString().ShouldBe("Visit belonged to another patient");
        after.Single(e => e.GetProperty("eventId").GetString() == followUp).GetProperty("status").GetString().ShouldBe("retracted");
        (await page.CountAsync(Item(followUp))).ShouldBe(0);

        // Correct the enrolment (the timeline's demographics name its event): "Correct" only, an enrolment is never retracted.
        (await page.CountAsync($"{Item(enrolment)} button[data-change='retract']")).ShouldBe(0);
        await page.Page.ClickAsync($"{Item(enrolment)} button[data-change='correct']");
        var enrol = $"{Item(enrolment)} form.change-form[data-change='correct']";
        await page.Page.WaitForSelectorAsync(enrol);
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{enrol} [name='birthDate']\").value")).ShouldBe("2006-04-12");
        await FillAsync(page, enrol, new Dictionary<string, string> { ["birthDate"] = "2006-05-12", ["correction-reason"] = "Birth date misread from the referral letter" });
        await page.Page.ClickAsync($"{enrol} button[type='submit']");
        await page.Page.WaitForFunctionAsync("() => document.getElementById('change-done').textContent.includes('Correction')");
        var last = await recorder.HistoryAsync(Id);
        last.Length.ShouldBe(after.Length + 1);
        last[^1].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        last[^1].GetProperty("correction").GetProperty("eventId").GetString().ShouldBe(enrolment);
        last[^1].GetProperty("data").GetProperty("replacement").GetProperty("birthDate").GetString().ShouldBe("2006-05-12");
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task A_form_is_filled_and_submitted_with_the_keyboard_alone_and_a_refusal_takes_the_focus()
    {
        using var recorder = await Recorder.CreateAsync(fixture, "rec-keys");
        const string Id = "SYN-KEYS-01";
        await SetUpAsync(recorder, Id);
        var before = await recorder.HistoryAsync(Id);
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Id}", token: recorder.Token, expectRefusals: [403]);
        page.ExpectRefusal(400);
        var keys = page.Page.Keyboard;
        const string FollowUp = "#record-forms form[data-fact='follow-ups']";
        async Task<string> Focused() => await page.Page.EvaluateExpressionAsync<string>(
            "(e => `${e.closest('form')?.dataset.fact ?? ''}|${e.name || e.getAttribute('role') || e.tagName.toLowerCase()}`)(document.activeElement)");

        // From the form before it, Tab reaches the follow-up's date; the date is typed in the order the browser shows it.
        await page.Page.FocusAsync("#record-forms form[data-fact='adverse-events'] button[type='submit']");
        await keys.PressAsync("Tab");
        (await Focused()).ShouldBe("follow-ups|date");
        await TypeDateAsync(page, "2019-08-15");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{FollowUp} [name='date']\").value")).ShouldBe("2019-08-15");
        // Tab walks the date's parts (month, day, year), then leaves it for the submit button.
        for (var i = 0; i < 3 && await Focused() == "follow-ups|date"; i++) await keys.PressAsync("Tab");
        (await Focused()).ShouldBe("follow-ups|button");
        await keys.PressAsync("Space");
        await WaitForOutcomeAsync(page, FollowUp);
        (await AlertsAsync(page, FollowUp)).ShouldBeEmpty();
        (await Focused()).ShouldBe("follow-ups|status"); // focus on what happened
        var now = await recorder.HistoryAsync(Id);
        now.Length.ShouldBe(before.Length + 1);
        now[^1].GetProperty("type").GetString().ShouldBe("follow-up-recorded");
        now[^1].GetProperty("data").GetProperty("date").GetString().ShouldBe("2019-08-15");
        now[^1].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);

        // Back with Shift+Tab past the date's parts to the form before, Tab into the date's first part, a date before
        // the diagnosis, Enter: the refusal takes the focus, and the date it concerns is one Shift+Tab away.
        await keys.DownAsync("Shift");
        for (var i = 0; i < 6 && await Focused() != "adverse-events|button"; i++) await keys.PressAsync("Tab");
        await keys.UpAsync("Shift");
        (await Focused()).ShouldBe("adverse-events|button");
        await keys.PressAsync("Tab");
        (await Focused()).ShouldBe("follow-ups|date");
        await TypeDateAsync(page, "2019-02-01");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{FollowUp} [name='date']\").value")).ShouldBe("2019-02-01");
        await keys.PressAsync("Enter");
        await page.Page.WaitForSelectorAsync($"{FollowUp} [role='alert']", new PuppeteerSharp.WaitForSelectorOptions { Timeout = 10_000 });
        (await Focused()).ShouldBe("follow-ups|alert");
        (await page.Page.EvaluateExpressionAsync<string>("document.activeElement.textContent")).ShouldContain("diagnosis");
        await keys.DownAsync("Shift");
        await keys.PressAsync("Tab");
        await keys.UpAsync("Shift");
        (await Focused()).ShouldBe("follow-ups|date");
        (await recorder.HistoryAsync(Id)).Length.ShouldBe(now.Length);
        page.ShouldHaveNoConsoleErrors();
    }

    /// <summary>Types a date into the focused date input, its parts in the order of the browser's locale (e.g. mm/dd/yyyy).</summary>
    static async Task TypeDateAsync(BrowserPage page, string isoDate)
    {
        var parts = isoDate.Split('-');
        var order = await page.Page.EvaluateExpressionAsync<string[]>(
            "new Intl.DateTimeFormat(navigator.language, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(2001, 1, 3)).filter(p => p.type !== 'literal').map(p => p.type)");
        foreach (var part in order)
        {
            var text = part switch { "year" => parts[0], "month" => parts[1], _ => parts[2] };
            await page.Page.Keyboard.TypeAsync(text);
            if (part == "year" && order[^1] != "year") await page.Page.Keyboard.PressAsync("ArrowRight");
        }
    }

    [Fact]
    public async Task The_patient_page_and_the_cohort_page_with_their_forms_open_have_no_critical_or_serious_violation()
    {
        using var recorder = await Recorder.CreateAsync(fixture, "rec-axe", "recorder,auditor");
        const string Id = "SYN-AXE-01";
        await SetUpAsync(recorder, Id);
        var followUp = EventOf(await recorder.HistoryAsync(Id), "follow-up", "2019-06-01");

        // The patient page: the recording forms, a refusal shown in one, a correction form open in the history.
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Id}", token: recorder.Token, expectRefusals: [403]);
        page.ExpectRefusal(400);
        const string Death = "#record-forms form[data-fact='death']";
        await FillAsync(page, Death, new Dictionary<string, string> { ["date"] = "2019-01-01" });
        await SubmitAsync(page, Death);
        (await AlertsAsync(page, Death)).ShouldNotBeEmpty();
        await page.Page.ClickAsync($"{Row(followUp)} button[data-change='correct']");
        await page.Page.WaitForSelectorAsync(Change);
        (await UnlabelledControlsAsync(page, "#record-forms")).ShouldBeEmpty();
        var violations = await Accessibility.CheckAsync(page.Page);
        violations.AtLeast("serious").ShouldBeEmpty(string.Join('\n', violations));

        // The cohort page as a recorder: the new-patient form, with a refusal shown.
        await using var cohort = await BrowserPage.OpenAsync(fixture, "/", token: recorder.Token, expectRefusals: [403, 400]);
        const string NewPatient = "form[data-fact='patients']";
        await cohort.Page.WaitForSelectorAsync($"#new-patient:not([hidden]) {NewPatient}");
        await SubmitAsync(cohort, NewPatient);
        (await AlertsAsync(cohort, NewPatient)).ShouldNotBeEmpty();
        (await UnlabelledControlsAsync(cohort, NewPatient)).ShouldBeEmpty();
        violations = await Accessibility.CheckAsync(cohort.Page);
        violations.AtLeast("serious").ShouldBeEmpty(string.Join('\n', violations));
        page.ShouldHaveNoConsoleErrors();
        cohort.ShouldHaveNoConsoleErrors();
    }
}
