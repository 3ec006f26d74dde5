using System.Net.Http.Json;
using System.Text.Json;
using static Timeline.Tests.Browser.FormSteps;

namespace Timeline.Tests.Browser;

/// <summary>
/// A recorder (made with `users add NAME --role recorder`) enrols a SYNTHETIC patient on the cohort page and records
/// the whole course through the patient page's forms; every step is checked against GET /api/patients/{id}/history.
/// </summary>
[Collection(RecordingCollection.Name)]
public sealed class RecordWholePatientTests(BrowserFixture fixture)
{
    const string NewPatient = "form[data-fact='patients']";

    static string Form(string fact) => $"#record-forms form[data-fact='{fact}']";

    /// <summary>One step: the form, what is typed into it, the history's type for it, and the data the history must hold.</summary>
    sealed record Step(string Fact, Dictionary<string, string> Values, string Type, Action<JsonElement> Check);

    static Action<JsonElement> Has(params (string Field, object Value)[] expected) => data =>
    {
        foreach (var (field, value) in expected)
        {
            data.TryGetProperty(field, out var actual).ShouldBeTrue($"{field} missing in {data}");
            switch (value)
            {
                case int n: actual.GetInt32().ShouldBe(n, field); break;
                case string[] list: actual.EnumerateArray().Select(a => a.GetString()).ShouldBe(list, field); break;
                default: actual.GetString().ShouldBe((string)value, field); break;
            }
        }
    };

    [Fact]
    public async Task A_recorder_enrols_a_patient_on_the_cohort_page_and_records_the_whole_course_through_the_forms()
    {
        using var recorder = await Recorder.CreateAsync(fixture, "rec-whole");
        const string Id = "SYN-WHOLE-01";

        // The cohort page offers the new-patient form to a recorder, built from POST /api/patients' schema.
        await using var cohort = await BrowserPage.OpenAsync(fixture, "/", token: recorder.Token, expectRefusals: [403]);
        (await cohort.TextAsync("#banner")).ShouldContain("for analysts"); // the figures are not a recorder's: said, not an error
        await cohort.Page.WaitForSelectorAsync($"#new-patient:not([hidden]) {NewPatient}");
        foreach (var name in new[] { "patientId", "birthDate", "sex" })
            (await cohort.CountAsync($"{NewPatient} [name='{name}']")).ShouldBe(1, name);
        (await cohort.AttributeAsync($"{NewPatient} [name='birthDate']", "type")).ShouldBe("date");
        (await cohort.CountAsync($"{NewPatient} select[name='sex'] option[value='female']")).ShouldBe(1);
        (await UnlabelledControlsAsync(cohort, NewPatient)).ShouldBeEmpty();

        await FillAsync(cohort, NewPatient, new Dictionary<string, string> { ["patientId"] = Id, ["birthDate"] = "2004-07-21", ["sex"] = "female" });
        var opened = cohort.Page.WaitForNavigationAsync();
        await cohort.Page.ClickAsync($"{NewPatient} button[type='submit']");
        await opened;
        await cohort.WaitUntilReadyAsync();
        cohort.Page.Url.ShouldContain($"patient.html?id={Id}");
        var page = cohort;

        var history = await recorder.HistoryAsync(Id);
        history.Length.ShouldBe(1);
        history[0].GetProperty("type").GetString().ShouldBe("patient-enrolled");
        history[0].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        Has(("birthDate", "2004-07-21"), ("sex", "female"))(history[0].GetProperty("data"));

        // The course: osteosarcoma, MAP, relapse, sorafenib (an mTKI), progression on it, and death.
        Step[] steps =
        [
            new("diagnosis", new() { ["date"] = "2018-02-01", ["histology"] = "9180/3", ["primarySite"] = "femur", ["metastatic"] = "false" },
                "diagnosis-recorded", Has(("date", "2018-02-01"), ("histology", "9180/3"), ("primarySite", "femur"))),
            new("treatment-lines", new() { ["line"] = "1", ["startDate"] = "2018-02-15", ["regimen"] = "MAP", ["agents"] = "methotrexate, doxorubicin, cisplatin" },
                "treatment-line-started", Has(("line", 1), ("startDate", "2018-02-15"), ("regimen", "MAP"), ("agents", new[] { "methotrexate", "doxorubicin", "cisplatin" }))),
            new("responses", new() { ["date"] = "2018-06-01", ["line"] = "1", ["category"] = "PR" },
                "response-assessed", Has(("date", "2018-06-01"), ("line", 1), ("category", "PR"))),
            new("treatment-lines/{line}/end", new() { ["line"] = "1", ["date"] = "2018-09-01", ["reason"] = "completed" },
                "treatment-line-ended", Has(("line", 1), ("date", "2018-09-01"), ("reason", "completed"))),
            new("relapses", new() { ["date"] = "2019-01-10" }, "relapse-recorded", Has(("date", "2019-01-10"))),
            new("treatment-lines", new() { ["line"] = "2", ["startDate"] = "2019-02-01", ["agents"] = "sorafenib" },
                "treatment-line-started", Has(("line", 2), ("startDate", "2019-02-01"), ("agents", new[] { "sorafenib" }))),
            new("adverse-events", new() { ["date"] = "2019-03-01", ["line"] = "2", ["term"] = "Palmar-plantar erythrodysesthesia syndrome", ["grade"] = "2" },
                "adverse-event-recorded", Has(("date", "2019-03-01"), ("line", 2), ("term", "Palmar-plantar erythrodysesthesia syndrome"), ("grade", 2))),
            new("responses", new() { ["date"] = "2019-04-01", ["line"] = "2", ["category"] = "SD" },
                "response-assessed", Has(("date", "2019-04-01"), ("line", 2), ("category", "SD"))),
            new("progressions", new() { ["date"] = "2019-06-01" }, "progression-recorded", Has(("date", "2019-06-01"))),
            new("treatment-lines/{line}/end", new() { ["line"] = "2", ["date"] = "2019-06-05", ["reason"] = "progression" },
                "treatment-line-ended", Has(("line", 2), ("date", "2019-06-05"), ("reason", "progression"))),
            new("follow-ups", new() { ["date"] = "2019-08-01" }, "follow-up-recorded", Has(("date", "2019-08-01"))),
            new("death", new() { ["date"] = "2019-10-01", ["cause"] = "disease" }, "death-recorded", Has(("date", "2019-10-01"), ("cause", "disease"))),
        ];
        foreach (var step in steps)
        {
            var form = Form(step.Fact);
            await FillAsync(page, form, step.Values);
            await SubmitAsync(page, form);
            (await AlertsAsync(page, form)).ShouldBeEmpty(step.Fact);
            var now = await recorder.HistoryAsync(Id);
            now.Length.ShouldBe(history.Length + 1, step.Fact);
            var last = now[^1];
            last.GetProperty("type").GetString().ShouldBe(step.Type, step.Fact);
            last.GetProperty("recordedBy").GetString().ShouldBe(recorder.Name, step.Fact);
            last.GetProperty("status").GetString().ShouldBe("active", step.Fact);
            step.Check(last.GetProperty("data"));
            // The page redrew at the new version (a recorder does not read the history: the page says so, and records on).
            (await page.TextAsync("#basis")).ShouldBe($"Now: {now.Length} events", step.Fact);
            history = now;
        }

        var timeline = await recorder.Api.GetFromJsonAsync<JsonElement>($"api/patients/{Id}/timeline");
        timeline.GetProperty("treatmentLines").EnumerateArray().Select(l => l.GetProperty("isMtki").GetBoolean()).ShouldBe([false, true]);
        timeline.GetProperty("death").GetProperty("date").GetString().ShouldBe("2019-10-01");
        (await page.TextAsync("#change-note")).ShouldContain("auditors and investigators");
        timeline.GetProperty("anchor").GetProperty("date").GetString().ShouldBe("2019-06-01"); // the progression after line 2 started
        await page.ScreenshotAsync("record-whole-patient");
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task A_refusal_is_shown_beside_its_field_with_focus_on_it_and_nothing_is_written()
    {
        using var recorder = await Recorder.CreateAsync(fixture, "rec-refusal");
        const string Id = "SYN-REFUSE-01";
        await recorder.PostAsync("api/patients", new { patientId = Id, birthDate = "2005-03-09", sex = "male" });
        await recorder.PostAsync($"api/patients/{Id}/diagnosis", new { date = "2019-05-02", histology = "synovial sarcoma" });
        var before = await recorder.HistoryAsync(Id);

        // A death before the diagnosis: the API's message beside the date, focus on it, the history unchanged.
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Id}", token: recorder.Token, expectRefusals: [403]);
        page.ExpectRefusal(400, 409);
        var death = Form("death");
        await FillAsync(page, death, new Dictionary<string, string> { ["date"] = "2019-04-30", ["cause"] = "disease" });
        await SubmitAsync(page, death);
        var alert = $"{death} .form-field[data-field='date'] [role='alert']";
        (await page.TextAsync(alert)).ShouldContain("2019-05-02");
        (await page.AttributeAsync($"{death} [name='date']", "aria-invalid")).ShouldBe("true");
        (await page.AttributeAsync($"{death} [name='date']", "aria-describedby"))
            .ShouldBe(await page.AttributeAsync(alert, "id"));
        (await page.Page.EvaluateFunctionAsync<bool>("s => document.activeElement === document.querySelector(s)", alert)).ShouldBeTrue();
        (await recorder.HistoryAsync(Id)).Select(e => e.GetProperty("eventId").GetString())
            .ShouldBe(before.Select(e => e.GetProperty("eventId").GetString()));
        await page.ScreenshotAsync("record-refused-death-before-diagnosis");

        // On the cohort page: an id that exists (409) is shown beside the patient id, and nothing is written.
        await using var cohort = await BrowserPage.OpenAsync(fixture, "/", token: recorder.Token, expectRefusals: [403]);
        cohort.ExpectRefusal(400, 409);
        await cohort.Page.WaitForSelectorAsync($"#new-patient:not([hidden]) {NewPatient}");
        await FillAsync(cohort, NewPatient, new Dictionary<string, string> { ["patientId"] = Id, ["birthDate"] = "2001-01-01", ["sex"] = "female" });
        await SubmitAsync(cohort, NewPatient);
        (await cohort.TextAsync($"{NewPatient} .form-field[data-field='patientId'] [role='alert']")).ShouldContain(Id);
        (await recorder.HistoryAsync(Id)).Length.ShouldBe(before.Length);
        cohort.Page.Url.ShouldNotContain("patient.html");

        // An invalid id (400) is shown beside the patient id too.
        await FillAsync(cohort, NewPatient, new Dictionary<string, string> { ["patientId"] = "-not an id", ["birthDate"] = "2001-01-01", ["sex"] = "female" });
        await SubmitAsync(cohort, NewPatient);
        (await cohort.TextAsync($"{NewPatient} .form-field[data-field='patientId'] [role='alert']")).ShouldContain("patientId");
        using var unknown = await recorder.Api.GetAsync("api/patients/-not%20an%20id/timeline");
        ((int)unknown.StatusCode).ShouldBeOneOf(400, 404);
        page.ShouldHaveNoConsoleErrors();
        cohort.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task A_fact_recorded_meanwhile_is_shown_with_who_recorded_it_and_the_retry_records_on_the_new_version()
    {
        using var recorder = await Recorder.CreateAsync(fixture, "rec-412", "recorder,auditor");
        using var colleague = await Recorder.CreateAsync(fixture, "rec-colleague");
        const string Id = "SYN-412-01";
        await recorder.PostAsync("api/patients", new { patientId = Id, birthDate = "2007-01-20", sex = "other" });
        await recorder.PostAsync($"api/patients/{Id}/diagnosis", new { date = "2020-02-02", histology = "9040/3" });
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Id}", token: recorder.Token, expectRefusals: [403]);
        page.ExpectRefusal(412);

        // A colleague records a follow-up while the page shows version 2.
        await colleague.PostAsync($"api/patients/{Id}/follow-ups", new { date = "2020-05-05" });
        var relapses = Form("relapses");
        await FillAsync(page, relapses, new Dictionary<string, string> { ["date"] = "2020-06-06" });
        await SubmitAsync(page, relapses);
        await page.Page.WaitForSelectorAsync($"{relapses} .form-error .what-changed li");
        var changed = await page.TextAsync($"{relapses} .form-error .what-changed");
        changed.ShouldContain("#3 by rec-colleague");
        changed.ShouldContain("2020-05-05");
        (await page.Page.EvaluateExpressionAsync<string>("document.activeElement.className")).ShouldBe("retry");
        (await recorder.HistoryAsync(Id)).Length.ShouldBe(3);

        await page.Page.ClickAsync($"{relapses} .form-error button.retry");
        await page.Page.WaitForFunctionAsync($"() => document.querySelector(\"{relapses} .form-done\").textContent !== ''");
        var history = await recorder.HistoryAsync(Id);
        history.Length.ShouldBe(4);
        history[^1].GetProperty("type").GetString().ShouldBe("relapse-recorded");
        history[^1].GetProperty("recordedBy").GetString().ShouldBe(recorder.Name);
        history[^1].GetProperty("data").GetProperty("date").GetString().ShouldBe("2020-06-06");
        page.ShouldHaveNoConsoleErrors();
    }

    [Fact]
    public async Task The_new_patient_form_is_not_offered_to_a_role_that_cannot_record()
    {
        var auditor = await fixture.UserTokenAsync("aud-cohort", "auditor");
        await using var page = await BrowserPage.OpenAsync(fixture, "/", token: auditor, expectRefusals: [403]);
        await page.Page.WaitForSelectorAsync("#new-patient[data-decided]");
        (await page.CountAsync(NewPatient)).ShouldBe(0);
        (await page.Page.EvaluateExpressionAsync<bool>("document.getElementById('new-patient').hidden")).ShouldBeTrue();
        page.ShouldHaveNoConsoleErrors();
    }
}
