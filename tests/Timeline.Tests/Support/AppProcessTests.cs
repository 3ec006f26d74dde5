using System.Net;
using Timeline.LocalDatabase;
using Timeline.Tests.Access;

namespace Timeline.Tests.Support;

/// <summary>The app runs as its own process on a loopback port, and its command line runs against the same store.</summary>
public sealed class AppProcessTests
{
    [Fact]
    public async Task The_built_app_serves_http_on_loopback_and_its_demo_command_records_into_the_same_store()
    {
        var dir = Path.Combine(Path.GetTempPath(), "timeline-tests", "app-" + Guid.NewGuid().ToString("N")[..8]);
        await using var database = await LocalPostgres.StartAsync(dir);
        await using var app = await AppProcess.StartAsync(database.ConnectionString);
        using var anonymous = IssuedTokens.Client(app, null);

        (await anonymous.GetAsync("health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var output = await app.RunCommandAsync("demo");
        output.ShouldContain("log-rank chi2(1) = 8.13, p = 0.004");
        (await anonymous.GetAsync("api/patients")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The demo's first run creates demo-admin and prints its token once.
        using var client = IssuedTokens.Client(app, IssuedTokens.Last(output));
        (await client.GetStringAsync("api/patients")).ShouldContain("DEMO-OS-01");
    }
}
