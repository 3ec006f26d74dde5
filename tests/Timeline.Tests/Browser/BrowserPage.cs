using PuppeteerSharp;

namespace Timeline.Tests.Browser;

/// <summary>
/// One tab at 1280×800 on one of the app's pages: waits until the page says it is ready (body[data-state]),
/// signs in through the page's own box when the API asks for a token, keeps every console error and
/// uncaught exception, and saves screenshots under the test output.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    const int TimeoutMs = 30_000;
    readonly BrowserFixture fixture;
    readonly List<string> errors = [];
    readonly HashSet<int> expectedStatuses = [];
    readonly string? token;
    bool signedIn;

    BrowserPage(BrowserFixture fixture, IPage page, string? token)
    {
        this.fixture = fixture;
        this.token = token;
        Page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type != ConsoleType.Error) return;
            // The API's 401 that opens the sign-in box is the expected challenge, not a fault of the page.
            if (!signedIn && e.Message.Text.Contains("status of 401", StringComparison.Ordinal)) return;
            // A refusal the test provokes on purpose (ExpectRefusal) is what the page must show, not a fault.
            lock (errors) if (expectedStatuses.Any(s => e.Message.Text.Contains($"status of {s} ", StringComparison.Ordinal))) return;
            lock (errors) errors.Add($"console: {e.Message.Text} ({e.Message.Location?.URL}:{e.Message.Location?.LineNumber})");
        };
        page.PageError += (_, e) => { lock (errors) errors.Add($"uncaught: {e.Message}"); };
    }

    public IPage Page { get; }

    /// <summary>The test is about to provoke these API refusals: Chromium's "failed to load" lines for them are expected.</summary>
    public void ExpectRefusal(params int[] statuses)
    {
        lock (errors) expectedStatuses.UnionWith(statuses);
    }

    public IReadOnlyList<string> Errors { get { lock (errors) return errors.ToList(); } }

    /// <summary>
    /// Opens a page; <paramref name="prepare"/> runs on the new tab before it navigates (e.g. to intercept requests).
    /// The page signs in with <paramref name="token"/> (a user made by <see cref="BrowserFixture.UserTokenAsync"/>), or
    /// the fixture's admin; the token lives in the tab's sessionStorage, so two tabs can be two users.
    /// <paramref name="expectRefusals"/>: API statuses the page meets while it loads and shows as expected (a recorder's
    /// 403 for what the role may not read), not console faults.
    /// </summary>
    public static async Task<BrowserPage> OpenAsync(BrowserFixture fixture, string path, Func<IPage, Task>? prepare = null,
        bool waitUntilReady = true, string? token = null, int[]? expectRefusals = null)
    {
        var page = new BrowserPage(fixture, await fixture.Browser.NewPageAsync(), token);
        if (expectRefusals is not null) page.ExpectRefusal(expectRefusals);
        // A tab behind another draws no frame, and a click or screenshot on it waits for one: the newest tab goes in front.
        await page.Page.BringToFrontAsync();
        await page.Page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 800 });
        await page.Page.EmulateTimezoneAsync("UTC"); // the as-of inputs hold local time: make it UTC, as the tests write it
        if (prepare is not null) await prepare(page.Page);
        await page.Page.GoToAsync(new Uri(fixture.App.BaseAddress, path).ToString(), TimeoutMs);
        if (waitUntilReady) await page.WaitUntilReadyAsync();
        return page;
    }

    /// <summary>Waits until the page has drawn (or failed); types the token into the sign-in box if it appears.</summary>
    public async Task WaitUntilReadyAsync()
    {
        const string settled = """
            () => document.body.dataset.state === 'ready' || document.body.dataset.state === 'error'
               || (document.getElementById('signin') !== null && !document.getElementById('signin').hidden)
            """;
        await Page.WaitForFunctionAsync(settled, new WaitForFunctionOptions { Timeout = TimeoutMs });
        if (await Page.EvaluateExpressionAsync<bool>("document.getElementById('signin') !== null && !document.getElementById('signin').hidden"))
        {
            var user = token ?? fixture.Token
                ?? throw new InvalidOperationException($"The page asked for a token, but `users add` made none:\n{fixture.UsersFailure}");
            await SignInAsync(user);
            await Page.WaitForFunctionAsync("() => document.body.dataset.state === 'ready' || document.body.dataset.state === 'error'",
                new WaitForFunctionOptions { Timeout = TimeoutMs });
        }
        if (await Page.EvaluateExpressionAsync<string>("document.body.dataset.state") == "error")
            throw new InvalidOperationException("The page shows an error: " + await TextAsync("#banner"));
    }

    /// <summary>Types the token into the page's sign-in box and submits it.</summary>
    public async Task SignInAsync(string token)
    {
        await Page.TypeAsync("#signin-token", token);
        signedIn = true;
        await Page.ClickAsync("#signin-submit");
    }

    /// <summary>Sets a form control's value as a user would leave it, and waits for the page to redraw.</summary>
    public async Task ChangeAsync(string selector, string value)
    {
        await Page.EvaluateFunctionAsync("""
            (selector, value) => {
              const input = document.querySelector(selector);
              input.value = value;
              input.dispatchEvent(new Event('change', { bubbles: true }));
            }
            """, selector, value);
        await WaitUntilReadyAsync();
    }

    public Task<string> TextAsync(string selector) =>
        Page.EvaluateFunctionAsync<string>("s => document.querySelector(s)?.textContent ?? ''", selector);

    public Task<string?> AttributeAsync(string selector, string name) =>
        Page.EvaluateFunctionAsync<string?>("(s, n) => document.querySelector(s)?.getAttribute(n) ?? null", selector, name);

    public Task<int> CountAsync(string selector) =>
        Page.EvaluateFunctionAsync<int>("s => document.querySelectorAll(s).length", selector);

    /// <summary>Saves what a 1280×800 screen shows, and the whole page beside it; answers the first path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(path);
        await Page.ScreenshotAsync(Path.Combine(BrowserFixture.ScreenshotDirectory, name + "-full.png"), new ScreenshotOptions { FullPage = true });
        return path;
    }

    public void ShouldHaveNoConsoleErrors() => Errors.ShouldBeEmpty(string.Join('\n', Errors));

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}
