using System.Net.Http.Json;
using System.Text.Json;

namespace Timeline.Tests.Browser;

/// <summary>The patient page shows the lock, the signatures and the data queries on the facts they concern.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PatientReviewPageTests(BrowserFixture fixture)
{
    const string Patient = "DEMO-OS-03";
    const string Question = "Start date differs from the pharmacy record (browser test)";
    const string LockReason = "Interim data cut (browser test)";

    [Fact]
    public async Task The_patient_page_shows_the_lock_the_signature_and_an_open_query_on_its_fact()
    {
        var timeline = await fixture.Api.GetFromJsonAsync<JsonElement>($"api/patients/{Patient}/timeline");
        var line = timeline.GetProperty("treatmentLines")[0].GetProperty("eventId").GetGuid();
        (await fixture.Api.PostAsJsonAsync($"api/patients/{Patient}/queries", new { eventId = line, text = Question })).EnsureSuccessStatusCode();
        (await fixture.Api.PostAsJsonAsync($"api/patients/{Patient}/signatures", new { meaning = "reviewed", secret = fixture.Token })).EnsureSuccessStatusCode();
        (await fixture.Api.PostAsJsonAsync($"api/patients/{Patient}/lock", new { reason = LockReason })).EnsureSuccessStatusCode();

        await using var page = await BrowserPage.OpenAsync(fixture, $"/patient.html?id={Patient}");
        (await page.TextAsync("#lock.locked")).ShouldContain(LockReason);
        (await page.CountAsync("#signatures li[data-signature-id]")).ShouldBe(1);
        (await page.TextAsync("#signatures")).ShouldContain("reviewed");
        (await page.TextAsync("#signatures .badge")).ShouldBe("current");
        (await page.CountAsync("#queries li[data-query-id]")).ShouldBe(1);
        (await page.TextAsync("#queries")).ShouldContain(Question);

        // The queried fact carries the "?" mark, and reads the question out on focus.
        var marked = $"#timeline .has-query[data-event-id='{line}']";
        (await page.CountAsync(marked)).ShouldBe(1);
        (await page.CountAsync("#timeline .has-query")).ShouldBe(1);
        (await page.AttributeAsync(marked, "aria-label"))!.ShouldContain(Question);
        (await page.CountAsync($"#history tr.has-query[data-event-id='{line}']")).ShouldBe(1);
        var history = await page.TextAsync("#history");
        history.ShouldContain($"Locked: {LockReason}");
        history.ShouldContain("Signed (reviewed)");
        await page.ScreenshotAsync("patient-review");
        page.ShouldHaveNoConsoleErrors();
    }
}
