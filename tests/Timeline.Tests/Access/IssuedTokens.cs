using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Timeline.Tests.Support;

namespace Timeline.Tests.Access;

/// <summary>Tokens as the command line prints them ("token: …"), for tests that run the app as a process.</summary>
public static partial class IssuedTokens
{
    [GeneratedRegex(@"^token: ([A-Za-z0-9_-]{43})\s*$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    /// <summary>The last token printed in a command's output.</summary>
    public static string Last(string output)
    {
        var found = TokenLine().Matches(output);
        found.Count.ShouldBeGreaterThan(0, $"no token printed in:\n{output}");
        return found[^1].Groups[1].Value;
    }

    /// <summary>`users add NAME --role ROLES` against the app's database; answers the printed token.</summary>
    public static async Task<string> AddUserAsync(AppProcess app, string name, string roles) =>
        Last(await app.RunCommandAsync("users", "add", name, "--role", roles));

    /// <summary>A client of the app that sends this token.</summary>
    public static HttpClient Client(AppProcess app, string? token, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
