using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PuppeteerSharp;

namespace Timeline.Tests.Browser;

/// <summary>
/// The review actions on the patient page, each driven as the role that owns it (users made with the app's
/// `users add` command, one tab each) and each step checked against the API: a data query from open to closed
/// between an auditor and a recorder, a lock and an unlock by an administrator, a signature by an investigator
/// (a wrong secret refused beside the field, nothing written; then the right one).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReviewActionsTests(BrowserFixture fixture)
{
    /// <summary>Demo control patients no other browser test touches; locks, signatures and queries change no figure.</summary>
    const string QueryPatient = "DEMO-CTRL-10";
    const string LockPatient = "DEMO-CTRL-11";
    const string SignPatient = "DEMO-CTRL-12";
    const string Done = "#review-done";

    async Task<JsonElement> GetAsync(string path) => await fixture.Api.GetFromJsonAsync<JsonElement>(path);

    async Task<JsonElement> QueriesAsync(string patient) => await GetAsync($"api/queries?patientId={patient}");

    async Task<int> HistoryLengthAsync(string patient) => (await GetAsync($"api/patients/{patient}/history")).GetArrayLength();

    static async Task FillAsync(BrowserPage page, string selector, string text)
    {
        await page.Page.EvaluateFunctionAsync("s => { document.querySelector(s).value = ''; }", selector);
        await page.Page.TypeAsync(selector, text);
    }

    /// <summary>Submits a review form and waits for the page to announce the outcome in its status region.</summary>
    static async Task SubmitAsync(BrowserPage page, string form, string announced)
    {
        await page.Page.BringToFrontAsync(); // a tab behind another draws no frame: a click or a screenshot would wait for one
        await page.Page.EvaluateFunctionAsync("s => { document.querySelector(s).textContent = ''; }", Done);
        await page.Page.ClickAsync($"{form} button[type='submit']");
        await page.Page.WaitForFunctionAsync("(s, t) => document.querySelector(s).textContent.includes(t)",
            new WaitForFunctionOptions { Timeout = 30_000 }, Done, announced);
    }

    /// <summary>Back to a tab opened earlier: brought to the front (a hidden tab draws no frame, so a click would wait), then reloaded.</summary>
    static async Task ReloadAsync(BrowserPage page)
    {
        await page.Page.BringToFrontAsync();
        await page.Page.ReloadAsync();
        await page.WaitUntilReadyAsync();
    }

    /// <summary>Presses Tab until the focused element matches <paramref name="selector"/>: the control is reachable by keyboard.</summary>
    static async Task TabToAsync(BrowserPage page, string selector)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await page.Page.EvaluateFunctionAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector)) return;
            await page.Page.Keyboard.PressAsync("Tab");
        }
        throw new InvalidOperationException($"Tab never reached {selector}");
    }

    static string Message(JsonElement query, int i, string property) => query.GetProperty("messages")[i].GetProperty(property).GetString()!;

    [Fact]
    public async Task An_auditor_raises_a_query_on_a_fact_the_recorder_answers_and_the_auditor_closes_reopens_and_closes_it()
    {
        var auditor = await fixture.UserTokenAsync("rv-auditor", "auditor");
        var recorder = await fixture.UserTokenAsync("rv-recorder", "recorder");
        var history = await GetAsync($"api/patients/{QueryPatient}/history");
        var diagnosis = history.EnumerateArray().First(e => e.GetProperty("data").TryGetProperty("kind", out var k) && k.GetString() == "diagnosis");
        var fact = diagnosis.GetProperty("eventId").GetString()!;
        var before = (await QueriesAsync(QueryPatient)).GetArrayLength();

        // The auditor: "Raise a query" on the diagnosis' row opens a form under it.
        await using var monitor = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={QueryPatient}", token: auditor);
        (await monitor.CountAsync("#review-forms form[data-review='raise-patient']")).ShouldBe(1);
        (await monitor.CountAsync("#review-forms form[data-review='lock'], #review-forms form[data-review='sign']")).ShouldBe(0);
        var row = $"#history tr[data-event-id='{fact}']";
        await monitor.Page.ClickAsync($"{row} button.raise-query");
        var raise = $"#history tr.query-form-row form[data-review='raise-{fact}']";
        await monitor.Page.WaitForSelectorAsync(raise);
        const string Question = "Diagnosis date differs from the pathology report (browser test)";
        await FillAsync(monitor, $"{raise} textarea[name='text']", Question);
        await SubmitAsync(monitor, raise, "Query raised");

        var queries = await QueriesAsync(QueryPatient);
        queries.GetArrayLength().ShouldBe(before + 1);
        var query = queries[queries.GetArrayLength() - 1];
        var id = query.GetProperty("id").GetString()!;
        query.GetProperty("eventId").GetString().ShouldBe(fact);
        query.GetProperty("status").GetString().ShouldBe("open");
        Message(query, 0, "text").ShouldBe(Question);
        Message(query, 0, "by").ShouldBe("rv-auditor");
        var item = $"#queries li[data-query-id='{id}']";
        (await monitor.TextAsync($"{item} .badge")).ShouldBe("open");
        (await monitor.CountAsync($"{row}.has-query")).ShouldBe(1);
        (await monitor.CountAsync($"{item} form[data-review='answer-{id}']")).ShouldBe(0); // answering is the site's
        await monitor.ScreenshotAsync("review-query-raised");

        // The recorder, in another tab: answers the open query; it cannot raise, close or reopen one.
        await using var site = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={QueryPatient}", token: recorder, expectRefusals: [403]);
        (await site.CountAsync("#history button.raise-query, #review-forms form")).ShouldBe(0);
        (await site.CountAsync($"{item} form[data-review='close-{id}']")).ShouldBe(0);
        var answer = $"{item} form[data-review='answer-{id}']";
        const string Reply = "Pathology report re-checked: the date recorded is right";
        await FillAsync(site, $"{answer} textarea[name='text']", Reply);
        await SubmitAsync(site, answer, "Answer recorded");
        query = await GetAsync($"api/queries/{id}");
        query.GetProperty("status").GetString().ShouldBe("answered");
        Message(query, 1, "kind").ShouldBe("answered");
        Message(query, 1, "text").ShouldBe(Reply);
        Message(query, 1, "by").ShouldBe("rv-recorder");
        (await site.TextAsync($"{item} .badge")).ShouldBe("answered");
        (await site.CountAsync($"{item} form[data-review='answer-{id}']")).ShouldBe(0);

        // The auditor closes it.
        await ReloadAsync(monitor);
        (await monitor.TextAsync(item)).ShouldContain(Reply);
        await SubmitAsync(monitor, $"{item} form[data-review='close-{id}']", "Query closed");
        (await GetAsync($"api/queries/{id}")).GetProperty("status").GetString().ShouldBe("closed");
        (await monitor.CountAsync($"{item} form[data-review='close-{id}']")).ShouldBe(0);

        // ... re-opens it with the keyboard alone: Tab to the reason, type, Tab to "Re-open", Enter.
        const string Again = "The report has a second date: please check which one";
        var reopen = $"{item} form[data-review='reopen-{id}']";
        await monitor.Page.FocusAsync("#patient");
        await TabToAsync(monitor, $"{reopen} textarea[name='text']");
        await monitor.Page.Keyboard.TypeAsync(Again);
        await TabToAsync(monitor, $"{reopen} button[type='submit']");
        await monitor.Page.Keyboard.PressAsync("Enter");
        await monitor.Page.WaitForFunctionAsync("s => document.querySelector(s).textContent.includes('re-opened')", Done);
        (await monitor.Page.EvaluateExpressionAsync<string>("document.activeElement.id")).ShouldBe("review-done");
        query = await GetAsync($"api/queries/{id}");
        query.GetProperty("status").GetString().ShouldBe("open");
        Message(query, 3, "kind").ShouldBe("reopened");
        Message(query, 3, "text").ShouldBe(Again);
        Message(query, 3, "by").ShouldBe("rv-auditor");

        // ... and closes it again; a closed query offers the recorder no answer.
        await SubmitAsync(monitor, $"{item} form[data-review='close-{id}']", "Query closed");
        query = await GetAsync($"api/queries/{id}");
        query.GetProperty("status").GetString().ShouldBe("closed");
        query.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("kind").GetString())
            .ShouldBe(["raised", "answered", "closed", "reopened", "closed"]);
        await monitor.ScreenshotAsync("review-query-closed");
        await ReloadAsync(site);
        (await site.CountAsync($"{item} form")).ShouldBe(0);
        (await site.TextAsync($"{item} .badge")).ShouldBe("closed");
        monitor.ShouldHaveNoConsoleErrors();
        site.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task An_admin_locks_the_record_a_recorder_is_refused_and_the_admin_unlocks_it()
    {
        var admin = await fixture.UserTokenAsync("rv-admin", "admin");
        var recorder = await fixture.UserTokenAsync("rv-recorder", "recorder");
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={LockPatient}", token: admin);
        const string Lock = "#review-forms form[data-review='lock']";
        (await page.CountAsync(Lock)).ShouldBe(1);
        (await page.AttributeAsync($"{Lock} [name='reason']", "aria-required")).ShouldBe("true");

        // Without a reason: the API's refusal beside the reason, nothing written.
        var before = await HistoryLengthAsync(LockPatient);
        page.ExpectRefusal(400);
        await page.Page.ClickAsync($"{Lock} button[type='submit']");
        var alert = $"{Lock} .form-field[data-field='reason'] [role='alert']";
        await page.Page.WaitForSelectorAsync(alert);
        (await page.TextAsync(alert)).ShouldContain("reason");
        (await page.AttributeAsync($"{Lock} [name='reason']", "aria-invalid")).ShouldBe("true");
        (await HistoryLengthAsync(LockPatient)).ShouldBe(before);

        const string Reason = "Database lock for the interim analysis (browser test)";
        await FillAsync(page, $"{Lock} [name='reason']", Reason);
        await SubmitAsync(page, Lock, "Record locked");
        var timeline = await GetAsync($"api/patients/{LockPatient}/timeline");
        timeline.GetProperty("locked").GetProperty("reason").GetString().ShouldBe(Reason);
        timeline.GetProperty("locked").GetProperty("by").GetString().ShouldBe("rv-admin");
        var history = await GetAsync($"api/patients/{LockPatient}/history");
        history.GetArrayLength().ShouldBe(before + 1);
        history[before].GetProperty("type").GetString().ShouldBe("patient-locked");
        (await page.TextAsync("#lock.locked")).ShouldContain(Reason);
        (await page.CountAsync("#review-forms form[data-review='unlock']")).ShouldBe(1);
        await page.ScreenshotAsync("review-locked");

        // The recorder's forms say the record is locked, and the API refuses an append with 409 naming the lock.
        await using (var site = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={LockPatient}", token: recorder, expectRefusals: [403]))
        {
            (await site.TextAsync("#record-note")).ShouldContain("locked");
            (await site.CountAsync("#record fieldset.fact:not([disabled])")).ShouldBe(0);
            site.ShouldHaveNoConsoleErrors();
        }
        using (var asRecorder = new HttpClient { BaseAddress = fixture.App.BaseAddress })
        {
            asRecorder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", recorder);
            var refused = await asRecorder.PostAsJsonAsync($"api/patients/{LockPatient}/follow-ups", new { date = "2024-01-15" });
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("rule").GetString().ShouldBe("record-locked");
            problem.GetProperty("lockReason").GetString().ShouldBe(Reason);
        }
        (await HistoryLengthAsync(LockPatient)).ShouldBe(before + 1);

        const string Unlock = "#review-forms form[data-review='unlock']";
        await FillAsync(page, $"{Unlock} [name='reason']", "Interim analysis done (browser test)");
        await SubmitAsync(page, Unlock, "Record unlocked");
        timeline = await GetAsync($"api/patients/{LockPatient}/timeline");
        timeline.GetProperty("locked").ValueKind.ShouldBe(JsonValueKind.Null);
        history = await GetAsync($"api/patients/{LockPatient}/history");
        history.GetArrayLength().ShouldBe(before + 2);
        history[before + 1].GetProperty("type").GetString().ShouldBe("patient-unlocked");
        (await page.CountAsync(Lock)).ShouldBe(1);
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task An_investigator_signs_a_wrong_secret_is_refused_beside_the_field_and_nothing_is_written()
    {
        var investigator = await fixture.UserTokenAsync("rv-investigator", "investigator");
        var someoneElse = await fixture.UserTokenAsync("rv-recorder", "recorder");
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={SignPatient}", token: investigator);
        const string Sign = "#review-forms form[data-review='sign']";
        (await page.CountAsync(Sign)).ShouldBe(1);
        (await page.CountAsync("#review-forms form[data-review='lock'], #history button.raise-query")).ShouldBe(0);
        (await page.AttributeAsync($"{Sign} [name='secret']", "type")).ShouldBe("password");
        (await page.AttributeAsync($"{Sign} [name='secret']", "autocomplete")).ShouldBe("off");
        (await page.CountAsync($"{Sign} label[for='{await page.AttributeAsync($"{Sign} [name='secret']", "id")}']")).ShouldBe(1);

        var before = await GetAsync($"api/patients/{SignPatient}/timeline");
        var version = before.GetProperty("version").GetInt64();
        var signatures = before.GetProperty("signatures").GetArrayLength();

        // Another user's token is not the signer's: 401 beside the secret, nothing signed.
        page.ExpectRefusal(401);
        await page.Page.SelectAsync($"{Sign} [name='meaning']", "approved");
        await FillAsync(page, $"{Sign} [name='secret']", someoneElse);
        await page.Page.ClickAsync($"{Sign} button[type='submit']");
        var alert = $"{Sign} .form-field[data-field='secret'] [role='alert']";
        await page.Page.WaitForSelectorAsync(alert);
        (await page.TextAsync(alert)).ShouldContain("secret");
        (await page.Page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Sign} [name='secret']\").value")).ShouldBeEmpty();
        (await page.CountAsync("#signin:not([hidden])")).ShouldBe(0); // the refusal is the signature's, not a sign-in
        var after = await GetAsync($"api/patients/{SignPatient}/timeline");
        after.GetProperty("version").GetInt64().ShouldBe(version);
        after.GetProperty("signatures").GetArrayLength().ShouldBe(signatures);
        (await HistoryLengthAsync(SignPatient)).ShouldBe((int)version);
        await page.ScreenshotAsync("review-signature-refused");

        // The signer's own token: signed, covering the version shown, and current.
        await FillAsync(page, $"{Sign} [name='secret']", investigator);
        await SubmitAsync(page, Sign, "Signed (approved)");
        after = await GetAsync($"api/patients/{SignPatient}/timeline");
        after.GetProperty("version").GetInt64().ShouldBe(version + 1);
        var signature = after.GetProperty("signatures")[signatures];
        signature.GetProperty("signer").GetString().ShouldBe("rv-investigator");
        signature.GetProperty("meaning").GetString().ShouldBe("approved");
        signature.GetProperty("status").GetString().ShouldBe("current");
        signature.GetProperty("coversVersion").GetInt64().ShouldBe(version);
        var history = await GetAsync($"api/patients/{SignPatient}/history");
        history[(int)version].GetProperty("type").GetString().ShouldBe("record-signed");
        var shown = $"#signatures li[data-signature-id='{signature.GetProperty("eventId").GetString()}']";
        (await page.TextAsync($"{shown} .badge")).ShouldBe("current");
        (await page.TextAsync(shown)).ShouldContain("rv-investigator");
        await page.ScreenshotAsync("review-signed");
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_review_controls_pass_the_accessibility_check_and_are_off_at_a_past_time()
    {
        var admin = await fixture.UserTokenAsync("rv-admin", "admin");
        // An open query, so its Answer and Close forms show too.
        (await fixture.Api.PostAsJsonAsync($"api/patients/{QueryPatient}/queries", new { text = "Is the follow-up complete? (browser test)" }))
            .EnsureSuccessStatusCode();

        // An administrator passes every rule: every review control shows, and one refusal and one row's form are open.
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={QueryPatient}", token: admin);
        foreach (var key in new[] { "raise-patient", "lock", "sign" })
            (await page.CountAsync($"#review-forms form[data-review='{key}']")).ShouldBe(1);
        (await page.CountAsync("#queries form[data-review^='answer-']")).ShouldBeGreaterThan(0);
        (await page.CountAsync("#queries form[data-review^='close-']")).ShouldBeGreaterThan(0);
        await page.Page.ClickAsync("#history button.raise-query");
        await page.Page.WaitForSelectorAsync("#history tr.query-form-row form");
        page.ExpectRefusal(400);
        await page.Page.ClickAsync("#review-forms form[data-review='raise-patient'] button[type='submit']");
        await page.Page.WaitForSelectorAsync("#review-forms form[data-review='raise-patient'] [role='alert']");

        foreach (var control in await page.Page.EvaluateExpressionAsync<string[]>("""
            [...document.querySelectorAll('#review input, #review textarea, #review select, #history tr.query-form-row textarea')]
              .filter(c => !(c.labels && c.labels.length > 0)).map(c => c.name)
            """))
            control.ShouldBeNull("every review control has a label");
        var violations = await Accessibility.CheckAsync(page.Page);
        violations.AtLeast("critical").ShouldBeEmpty(string.Join('\n', violations));
        await page.ScreenshotAsync("review-controls");

        // At a past "as of" the record shown is not the one review acts on: no control, and a note says why.
        var first = (await GetAsync($"api/patients/{QueryPatient}/history"))[0].GetProperty("recordedAt").GetDateTimeOffset();
        var asOf = first.UtcDateTime.AddSeconds(1);
        await page.ChangeAsync("#asof", asOf.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        (await page.CountAsync("#review-forms form, #queries form, #history button.raise-query")).ShouldBe(0);
        (await page.TextAsync("#review-note")).ShouldContain("past time");
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_cohort_page_counts_the_open_and_answered_queries_of_each_patient()
    {
        (await fixture.Api.PostAsJsonAsync($"api/patients/{LockPatient}/queries", new { text = "Relapse date to confirm (browser test)" }))
            .EnsureSuccessStatusCode();
        var open = (await GetAsync($"api/queries?status=open&patientId={LockPatient}")).GetArrayLength();
        var answered = (await GetAsync($"api/queries?status=answered&patientId={LockPatient}")).GetArrayLength();
        var patients = (await GetAsync("api/queries?status=open")).EnumerateArray()
            .Concat((await GetAsync("api/queries?status=answered")).EnumerateArray())
            .Select(q => q.GetProperty("patientId").GetString()).Distinct().Count();

        await using var page = await BrowserPage.OpenAsync(fixture, "/index.html");
        await page.Page.WaitForSelectorAsync("#query-counts-card[data-state='ready']:not([hidden])");
        var row = $"#query-counts tr[data-patient-id='{LockPatient}']";
        (await page.TextAsync($"{row} [data-count='open']")).ShouldBe(open.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await page.TextAsync($"{row} [data-count='answered']")).ShouldBe(answered.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await page.AttributeAsync($"{row} a", "href")).ShouldBe($"patient.html?id={LockPatient}#review");
        (await page.CountAsync("#query-counts tbody tr")).ShouldBe(patients);
        page.ShouldHaveNoConsoleErrors();
    }
}
