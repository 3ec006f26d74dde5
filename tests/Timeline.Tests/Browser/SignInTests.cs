using System.Collections.Concurrent;
using System.Net;
using PuppeteerSharp;

namespace Timeline.Tests.Browser;

/// <summary>
/// The pages' sign-in path. The tab answers 401 to any API call that lacks the expected bearer token (request
/// interception), as the server does once access control is on, whether or not it is; once the app has
/// users the token is a real admin's, so the signed calls the tab lets through are answered by the server.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_401_opens_the_sign_in_box_and_every_call_after_it_carries_the_bearer_token_kept_for_the_tab()
    {
        var token = fixture.Token ?? "ui-test-" + Guid.NewGuid().ToString("N");
        var calls = new ConcurrentQueue<(string Url, string? Authorization)>();
        async Task Intercept(IPage page)
        {
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                var request = e.Request;
                if (!request.Url.Contains("/api/", StringComparison.Ordinal)) { await request.ContinueAsync(); return; }
                var authorization = request.Headers.FirstOrDefault(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value;
                calls.Enqueue((request.Url, authorization));
                if (authorization != $"Bearer {token}")
                {
                    await request.RespondAsync(new ResponseData
                    {
                        Status = HttpStatusCode.Unauthorized,
                        ContentType = "application/problem+json",
                        Body = """{"title":"Unauthorized","status":401}""",
                        Headers = new Dictionary<string, object> { ["WWW-Authenticate"] = "Bearer" },
                    });
                    return;
                }
                await request.ContinueAsync();
            };
        }

        await using var page = await BrowserPage.OpenAsync(fixture, "/", Intercept, waitUntilReady: false);
        await page.Page.WaitForSelectorAsync("#signin:not([hidden]) #signin-token", new WaitForSelectorOptions { Visible = true, Timeout = 30_000 });
        (await page.Page.EvaluateExpressionAsync<string>("document.activeElement.id")).ShouldBe("signin-token");
        await page.ScreenshotAsync("sign-in");
        // The page's seven analysis calls (five figures, the time-dependent analysis and the landmark) all went
        // out unsigned, and all wait for the one sign-in.
        for (var i = 0; i < 50 && calls.Count < 7; i++) await Task.Delay(100);
        var before = calls.Count;
        before.ShouldBe(7);
        calls.ShouldAllBe(c => c.Authorization == null);

        await page.SignInAsync(token);
        await page.WaitUntilReadyAsync();
        (await page.CountAsync("#swimmer .swimmer-bar")).ShouldBe(18);
        (await page.Page.EvaluateExpressionAsync<string>("sessionStorage.getItem('timeline.token')")).ShouldBe(token);
        if (fixture.Token is not null)
        {
            await page.Page.WaitForFunctionAsync("() => document.querySelector('header.site .who').textContent.includes('ui-test')");
            (await page.TextAsync("header.site .who")).ShouldContain("signed in as ui-test (admin)");
        }
        var after = calls.Skip(before).ToList();
        after.Count.ShouldBeGreaterThan(18); // seven analyses and eighteen timelines
        after.ShouldAllBe(c => c.Authorization == $"Bearer {token}");

        // Another page in the same tab keeps the token: no sign-in box, every call signed.
        var signedCalls = calls.Count;
        await page.Page.GoToAsync(new Uri(fixture.App.BaseAddress, "/patient.html?id=DEMO-SS-01").ToString());
        await page.WaitUntilReadyAsync();
        (await page.Page.EvaluateExpressionAsync<bool>("document.getElementById('signin') === null || document.getElementById('signin').hidden")).ShouldBeTrue();
        calls.Skip(signedCalls).ShouldAllBe(c => c.Authorization == $"Bearer {token}");
        (await page.CountAsync("#timeline .tl-line")).ShouldBeGreaterThan(0);
        page.ShouldHaveNoConsoleErrors();
    }
}
