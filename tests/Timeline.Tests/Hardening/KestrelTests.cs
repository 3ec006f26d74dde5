using System.Net;
using Timeline.LocalDatabase;
using Timeline.Tests.Access;
using Timeline.Tests.Support;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16 on the real server (the built app on Kestrel, which the in-memory host does not exercise): no Server
/// header, HEAD answered without a body, an offset in asOf answered (it crashed the store's query), and the users
/// command refusing a name with a final newline.
/// </summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task The_real_server_hides_its_name_answers_head_and_takes_offsets_and_the_users_command_refuses_a_newline()
    {
        var dir = Path.Combine(Path.GetTempPath(), "timeline-tests", "kestrel-" + Guid.NewGuid().ToString("N")[..8]);
        await using var database = await LocalPostgres.StartAsync(dir);
        await using var app = await AppProcess.StartAsync(database.ConnectionString);
        var token = await IssuedTokens.AddUserAsync(app, "head.tester", "admin");
        using var client = IssuedTokens.Client(app, token);

        foreach (var url in new[] { "health", "", "api/me" })
        {
            using var get = await client.GetAsync(url);
            get.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            get.Headers.Contains("Server").ShouldBeFalse(url);
            get.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");

            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            head.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            head.Headers.Contains("Server").ShouldBeFalse(url);
            (await head.Content.ReadAsByteArrayAsync()).Length.ShouldBe(0);
        }

        var enrol = new StringContent("""{"patientId":"KES-1","birthDate":"2006-04-12","sex":"female"}""", System.Text.Encoding.UTF8, "application/json");
        (await client.PostAsync("api/patients", enrol)).StatusCode.ShouldBe(HttpStatusCode.Created);
        foreach (var asOf in new[] { "2030-01-01T00:00:00%2B01:00", "2030-01-01T00:00:00-05:00", "2030-01-01T00:00:00%2B14:00" })
        {
            using var timeline = await client.GetAsync($"api/patients/KES-1/timeline?asOf={asOf}");
            timeline.StatusCode.ShouldBe(HttpStatusCode.OK, await timeline.Content.ReadAsStringAsync());
            using var survival = await client.GetAsync($"api/analyses/overall-survival?asOf={asOf}");
            survival.StatusCode.ShouldBe(HttpStatusCode.OK, await survival.Content.ReadAsStringAsync());
        }

        // "$" would have let the final newline through; the command now exits 1 with the rule, issuing nothing.
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => app.RunCommandAsync("users", "add", "mallory\n", "--role", "admin"));
        refused.Message.ShouldContain("A user name is 1–64 letters");
        // The output so far holds head.tester's token only.
        System.Text.RegularExpressions.Regex.Count(refused.Message, "^token: [A-Za-z0-9_-]{43}", System.Text.RegularExpressions.RegexOptions.Multiline)
            .ShouldBe(1, refused.Message);
        (await app.RunCommandAsync("users", "list")).ShouldNotContain("mallory");
        using var me = await client.GetAsync("api/me");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
