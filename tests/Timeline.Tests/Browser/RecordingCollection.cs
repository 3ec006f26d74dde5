using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>
/// A browser fixture of its own (its own database, app and Chromium) for the tests that enrol and record whole
/// SYNTHETIC patients through the pages: a new mTKI patient would move the demo cohort's figures (18 mTKI patients,
/// the study's log-rank) that the tests of the shared fixture check. It runs alone, after the parallel collections,
/// so two Chromiums never share the machine's cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RecordingCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser-recording";
}

/// <summary>
/// A recorder made with the app's `users add NAME --role recorder` (or more roles, comma-separated), its token and its
/// API client; the history, which a recorder may not read, is read with the fixture's admin client.
/// </summary>
public sealed class Recorder(string name, string token, HttpClient api, HttpClient auditor) : IDisposable
{
    public string Name { get; } = name;
    public string Token { get; } = token;
    public HttpClient Api { get; } = api;

    public static async Task<Recorder> CreateAsync(BrowserFixture fixture, string name, string roles = "recorder")
    {
        var token = await fixture.UserTokenAsync(name, roles);
        return new Recorder(name, token, fixture.ApiAs(token), fixture.Api);
    }

    public async Task<JsonElement[]> HistoryAsync(string patientId) =>
        (await auditor.GetFromJsonAsync<JsonElement>($"api/patients/{patientId}/history")).EnumerateArray().ToArray();

    /// <summary>Records a fact through the API (setting up a test's patient), answering its event id.</summary>
    public async Task<string> PostAsync(string path, object body)
    {
        using var response = await Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{path}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("eventId").GetString()!;
    }

    public void Dispose() => Api.Dispose();
}

/// <summary>What the tests do in a page's forms: fill controls by their API name, submit, wait for the outcome.</summary>
public static class FormSteps
{
    /// <summary>Sets each control of the form (by its name, the API's field) as a user would leave it.</summary>
    public static Task FillAsync(BrowserPage page, string form, IReadOnlyDictionary<string, string> values) =>
        page.Page.EvaluateFunctionAsync("""
            (form, values) => {
              const f = document.querySelector(form);
              for (const [name, value] of Object.entries(values)) {
                const input = f.elements[name];
                if (!input) throw new Error(`no control named ${name} in ${form}`);
                input.value = value;
                input.dispatchEvent(new Event('input', { bubbles: true }));
                input.dispatchEvent(new Event('change', { bubbles: true }));
              }
            }
            """, form, values);

    /// <summary>Clicks the form's submit button and waits until it says it is done or shows a refusal.</summary>
    public static async Task SubmitAsync(BrowserPage page, string form)
    {
        await page.Page.ClickAsync($"{form} button[type='submit']");
        await WaitForOutcomeAsync(page, form);
    }

    public static Task WaitForOutcomeAsync(BrowserPage page, string form) =>
        page.Page.WaitForFunctionAsync("""
            form => { const f = document.querySelector(form);
              return f && (f.querySelector('.form-done')?.textContent !== '' || f.querySelector("[role='alert']") !== null); }
            """, new PuppeteerSharp.WaitForFunctionOptions { Timeout = 30_000 }, form);

    /// <summary>Every refusal message the form shows (role="alert").</summary>
    public static Task<string[]> AlertsAsync(BrowserPage page, string form) =>
        page.Page.EvaluateFunctionAsync<string[]>(
            "form => [...document.querySelectorAll(`${form} [role='alert']`)].map(a => a.textContent)", form);

    /// <summary>Controls in the page that have no visible label of their own (label[for] with text, not hidden).</summary>
    public static Task<string[]> UnlabelledControlsAsync(BrowserPage page, string scope) =>
        page.Page.EvaluateFunctionAsync<string[]>("""
            scope => [...document.querySelectorAll(`${scope} input, ${scope} select, ${scope} textarea`)]
              .filter(c => c.type !== 'hidden')
              .filter(c => { const l = c.id && document.querySelector(`label[for='${c.id}']`);
                             return !l || l.textContent.trim() === '' || l.offsetParent === null; })
              .map(c => c.name || c.id || c.outerHTML)
            """, scope);
}
