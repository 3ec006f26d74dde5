using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>
/// The patient page's forms: a diagnosis recorded with metastatic "not done" (the "Missing because"
/// select), and a late response refused by the soft check, then recorded anyway with a reason; both read back from
/// the API's history.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MissingValueFormsTests(BrowserFixture fixture)
{
    const string Diagnosis = "form[data-fact='diagnosis']";
    const string Line = "form[data-fact='treatment-lines']";
    const string Response = "form[data-fact='responses']";

    async Task<JsonElement> HistoryAsync(string id) => await fixture.Api.GetFromJsonAsync<JsonElement>($"api/patients/{id}/history");

    static Task SetAsync(BrowserPage page, string selector, string value) =>
        page.Page.EvaluateFunctionAsync("(s, v) => { document.querySelector(s).value = v; }", selector, value);

    static async Task SubmitAndWaitAsync(BrowserPage page, string form)
    {
        await page.Page.ClickAsync($"{form} button[type='submit']");
        await page.Page.WaitForFunctionAsync($"() => document.querySelector(\"{form} .form-done\").textContent !== ''"
            + $" || document.querySelector(\"{form} [role='alert']:not([hidden])\") !== null");
    }

    [Fact]
    public async Task A_diagnosis_is_recorded_with_metastatic_not_done_and_a_late_response_is_recorded_anyway_with_a_reason()
    {
        // A new patient of a histology the demo's figures are not filtered on (Ewing sarcoma, no mTKI), so the
        // cohort tests sharing the fixture keep their numbers.
        var id = $"MISS-{Guid.NewGuid():N}"[..16];
        (await fixture.Api.PostAsJsonAsync("api/patients", new { patientId = id, birthDate = "2005-02-03", sex = "male" })).EnsureSuccessStatusCode();
        // As the fixture's admin: the patient page also reads the history, which a recorder alone may not (on main).
        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={id}");

        // Each optional field has its labelled "Missing because" select with the four reasons; required fields have none.
        var because = $"{Diagnosis} select[name='missing:metastatic']";
        (await page.CountAsync($"{because} option")).ShouldBe(5);
        (await page.CountAsync($"{Diagnosis} select[name='missing:primarySite']")).ShouldBe(1);
        (await page.CountAsync($"{Diagnosis} select[name='missing:date']")).ShouldBe(0);
        (await page.CountAsync("form[data-fact='death'] select[name='missing:cause']")).ShouldBe(1);
        (await page.Page.EvaluateFunctionAsync<string>("s => document.querySelector(`label[for='${document.querySelector(s).id}']`)?.textContent ?? ''", because))
            .ShouldContain("Missing because");

        await SetAsync(page, $"{Diagnosis} [name='date']", "2019-01-10");
        await SetAsync(page, $"{Diagnosis} [name='histology']", "9260/3");
        await SetAsync(page, $"{Diagnosis} [name='primarySite']", "pelvis");
        await page.Page.FocusAsync(because);
        await page.Page.SelectAsync(because, "not-done");
        await SubmitAndWaitAsync(page, Diagnosis);
        (await page.TextAsync($"{Diagnosis} [role='alert']")).ShouldBeEmpty();
        var diagnosis = (await HistoryAsync(id)).EnumerateArray().Last().GetProperty("data");
        diagnosis.GetProperty("kind").GetString().ShouldBe("diagnosis");
        var missing = diagnosis.GetProperty("missing").EnumerateArray().Single();
        missing.GetProperty("field").GetString().ShouldBe("metastatic");
        missing.GetProperty("reason").GetString().ShouldBe("not-done");
        (!diagnosis.TryGetProperty("metastatic", out var metastatic) || metastatic.ValueKind == JsonValueKind.Null).ShouldBeTrue("no magic value in the field");

        await SetAsync(page, $"{Line} [name='line']", "1");
        await SetAsync(page, $"{Line} [name='startDate']", "2019-02-01");
        await SetAsync(page, $"{Line} [name='agents']", "ifosfamide, etoposide");
        await page.Page.SelectAsync($"{Line} select[name='missing:regimen']", "unknown");
        await SubmitAndWaitAsync(page, Line);
        (await page.TextAsync($"{Line} [role='alert']")).ShouldBeEmpty();
        var before = (await HistoryAsync(id)).GetArrayLength();

        // A response four years after the line started: the soft check's message at the date, nothing written.
        page.ExpectRefusal(400);
        await SetAsync(page, $"{Response} [name='date']", "2023-02-15");
        await SetAsync(page, $"{Response} [name='line']", "1");
        await SetAsync(page, $"{Response} [name='category']", "SD");
        await SubmitAndWaitAsync(page, Response);
        var alert = $"{Response} .form-field[data-field='date'] [role='alert']";
        (await page.TextAsync(alert)).ShouldContain("3 years");
        (await page.CountAsync($"{Response} .record-anyway button")).ShouldBe(1);
        (await HistoryAsync(id)).GetArrayLength().ShouldBe(before);
        await page.ScreenshotAsync("soft-check-refused");

        // "Record anyway" needs a reason: without one, the page says so and sends nothing.
        await page.Page.ClickAsync($"{Response} .record-anyway button");
        (await page.TextAsync($"{Response} .record-anyway [role='alert']")).ShouldContain("reason");
        (await HistoryAsync(id)).GetArrayLength().ShouldBe(before);

        await page.Page.TypeAsync($"{Response} .record-anyway input", "Long follow-up scan, reviewed with radiology");
        await page.Page.ClickAsync($"{Response} .record-anyway button");
        await page.Page.WaitForFunctionAsync($"() => document.querySelector(\"{Response} .form-done\").textContent !== ''");
        var history = await HistoryAsync(id);
        history.GetArrayLength().ShouldBe(before + 1);
        var response = history.EnumerateArray().Last().GetProperty("data");
        response.GetProperty("date").GetString().ShouldBe("2023-02-15");
        response.GetProperty("override").GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ShouldBe(["response-late"]);
        response.GetProperty("override").GetProperty("reason").GetString().ShouldBe("Long follow-up scan, reviewed with radiology");
        // The page's history says both, in words.
        await page.Page.WaitForFunctionAsync("() => document.querySelector('#history').textContent.includes('recorded anyway (response-late)')");
        (await page.TextAsync("#history")).ShouldContain("metastatic missing: Not done (ND)");
        page.ShouldHaveNoConsoleErrors();

        // The cohort page shows how many patients each missing value affects, as the analyses count them.
        var cohort = await fixture.Api.GetFromJsonAsync<JsonElement>("api/analyses/cohort");
        var counted = cohort.GetProperty("missingValues").EnumerateArray()
            .Single(m => m.GetProperty("fact").GetString() == "diagnosis" && m.GetProperty("field").GetString() == "metastatic"
                && m.GetProperty("reason").GetString() == "not-done").GetProperty("patients").GetInt32();
        counted.ShouldBeGreaterThanOrEqualTo(1);
        await using var home = await BrowserPage.OpenAsync(fixture, "/");
        var row = "#missing-values tr[data-fact='diagnosis'][data-field='metastatic'][data-reason='not-done']";
        (await home.TextAsync($"{row} td[data-analysis='cohort']")).ShouldBe(counted.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await home.TextAsync(row)).ShouldContain("Not done (ND)");
        (await home.TextAsync($"{row} td[data-analysis='os']")).ShouldBe("0", "a patient with no second line is not in the OS groups");
        home.ShouldHaveNoConsoleErrors();
    }
}
