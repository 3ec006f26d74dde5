using System.Net.Http.Headers;
using PuppeteerSharp;
using Timeline.LocalDatabase;
using Timeline.Tests.Support;

namespace Timeline.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// One private PostgreSQL, the built app as its own process with the SYNTHETIC demo cohort recorded, and one
/// headless Chromium from Debian's package (nothing downloaded), shared by the browser tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    readonly string root = Path.Combine(Path.GetTempPath(), "timeline-tests", "browser-" + Guid.NewGuid().ToString("N")[..8]);
    LocalPostgres? database;

    public AppProcess App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An admin's bearer token, once the app has users (null before access control exists).</summary>
    public string? Token { get; private set; }

    /// <summary>The API as a client: with the token when there is one.</summary>
    public HttpClient Api { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium chromium-driver (.ci/run does it).");
        Directory.CreateDirectory(ScreenshotDirectory);
        database = await LocalPostgres.StartAsync(Path.Combine(root, "db"));
        App = await AppProcess.StartAsync(database.ConnectionString);
        var browser = LaunchAsync(Path.Combine(root, "chromium-profile"));
        await App.RunCommandAsync("demo");
        Token = await CreateUserAsync();
        Api = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (Token is not null) Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Browser = await browser;
    }

    static Task<IBrowser> LaunchAsync(string profile) => Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        UserDataDir = profile, // a fresh profile per run
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic",
        ],
        DefaultViewport = new ViewPortOptions { Width = 1280, Height = 800 },
        Timeout = 60_000,
    });

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<string>> users = new();

    /// <summary>
    /// The token of a user of this role, made once per fixture with the app's own `users add NAME --role ROLE` command
    /// (so a page can be driven as a recorder, an auditor or an investigator, not only as the admin).
    /// </summary>
    public Task<string> UserTokenAsync(string name, string role) => users.GetOrAdd($"{name}/{role}", async _ =>
    {
        var before = App.Output.Length;
        var output = await App.RunCommandAsync("users", "add", name, "--role", role);
        return TokenIn(output[Math.Min(before, output.Length)..]);
    });

    /// <summary>
    /// The API as the user of <paramref name="token"/> (e.g. a recorder from <see cref="UserTokenAsync"/>), so a test sets up
    /// and checks data as that user; the caller disposes it.
    /// </summary>
    public HttpClient ApiAs(string token)
    {
        var client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Why `users add` failed, when it did: the app may have no `users` command yet.</summary>
    public string? UsersFailure { get; private set; }

    /// <summary>
    /// Once the app has a `users` command (access control), an admin is created and its token used by the API
    /// client and typed into the pages' sign-in box; until then (the command exits non-zero) there is no token.
    /// </summary>
    async Task<string?> CreateUserAsync()
    {
        var before = App.Output.Length;
        try
        {
            var output = await App.RunCommandAsync("users", "add", "ui-test", "--role", "admin");
            return TokenIn(output[Math.Min(before, output.Length)..]);
        }
        catch (InvalidOperationException e)
        {
            UsersFailure = e.Message;
            return null;
        }
    }

    /// <summary>
    /// The token printed by `users add`, whatever the wording around it: the last long run of token characters
    /// (24 or more of letters, digits and -._~+/=), on its own or after "token:".
    /// </summary>
    public static string TokenIn(string output)
    {
        var words = System.Text.RegularExpressions.Regex.Matches(output, @"(?<![A-Za-z0-9._~+/=-])[A-Za-z0-9._~+/=-]{24,}(?![A-Za-z0-9._~+/=-])");
        return words.Count > 0 ? words[^1].Value : throw new InvalidOperationException($"No token in the output of `users add`:\n{output}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Api?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
