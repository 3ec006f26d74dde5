namespace Timeline.Tests.Browser;

/// <summary>
/// An analyst reads every figure but no patient's timeline: the cohort page draws the figures and says why the swimmer
/// plot (drawn from the timelines) is absent, instead of failing as a whole.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalystCohortPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_analyst_sees_the_figures_and_a_note_in_place_of_the_swimmer_plot()
    {
        var analyst = await fixture.UserTokenAsync("ui-analyst", "analyst");
        await using var page = await BrowserPage.OpenAsync(fixture, "/index.html", token: analyst, expectRefusals: [403]);

        (await page.AttributeAsync("body", "data-state")).ShouldBe("ready");
        (await page.CountAsync("#os-chart svg")).ShouldBe(1);
        (await page.CountAsync("#swimmer svg")).ShouldBe(0);
        (await page.TextAsync("#swimmer")).ShouldContain("which your role does not read");
        (await page.TextAsync("#banner")).ShouldNotContain("your role cannot read them");
        page.ShouldHaveNoConsoleErrors();
    }
}
