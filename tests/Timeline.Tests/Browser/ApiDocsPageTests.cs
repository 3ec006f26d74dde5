using System.Collections.Concurrent;
using PuppeteerSharp;

namespace Timeline.Tests.Browser;

/// <summary>
/// The API page (/api-docs) in Chromium under its own Content-Security-Policy: it renders the operations, logs no
/// console error (a CSP violation is one) and asks nothing of any other host (the vendor's fonts are off).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiDocsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_api_page_renders_under_its_csp_and_fetches_nothing_from_outside()
    {
        var outside = new ConcurrentQueue<string>();
        async Task Watch(IPage page)
        {
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                var url = new Uri(e.Request.Url);
                if (url.Scheme is "http" or "https" && url.Host != fixture.App.BaseAddress.Host)
                {
                    outside.Enqueue(e.Request.Url);
                    await e.Request.AbortAsync();
                    return;
                }
                await e.Request.ContinueAsync();
            };
        }

        await using var page = await BrowserPage.OpenAsync(fixture, "api-docs/", Watch, waitUntilReady: false);
        await page.Page.WaitForFunctionAsync("() => document.body.innerText.includes('/api/patients')", new WaitForFunctionOptions { Timeout = 30_000 });
        await page.Page.WaitForNetworkIdleAsync(new WaitForNetworkIdleOptions { Timeout = 30_000 });
        await page.ScreenshotAsync("api-docs");

        outside.ShouldBeEmpty(string.Join('\n', outside));
        page.ShouldHaveNoConsoleErrors();
    }
}
