namespace Timeline.Tests.Browser;

/// <summary>axe-core in the read-only pages as they first draw: no critical or serious violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/index.html")]
    [InlineData("/patient.html?id=DEMO-OS-01")]
    [InlineData("/runs.html")]
    public async Task A_page_as_it_first_draws_has_no_serious_violation(string path)
    {
        await using var page = await BrowserPage.OpenAsync(fixture, path);
        var violations = await Accessibility.CheckAsync(page.Page);
        violations.AtLeast("serious").ShouldBeEmpty(string.Join('\n', violations));
        page.ShouldHaveNoConsoleErrors();
    }

    /// <summary>The check itself can fail: an image without alternative text planted in the page is reported as critical.</summary>
    [Fact]
    public async Task The_check_reports_a_planted_violation()
    {
        await using var page = await BrowserPage.OpenAsync(fixture, "/index.html");
        await page.Page.EvaluateExpressionAsync("document.querySelector('main, body').appendChild(Object.assign(document.createElement('img'), { src: 'favicon.svg' }))");
        var violations = await Accessibility.CheckAsync(page.Page);
        violations.AtLeast("critical").Select(v => v.Id).ShouldContain("image-alt");
    }
}
