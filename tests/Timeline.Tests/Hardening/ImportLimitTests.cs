using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;
using Timeline.Tests.Api;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16, the import rows: a stalled upload is a 408 problem (the idle timeout is set short here), one user's
/// concurrent imports are bounded (429 with Retry-After), and an Idempotency-Key on the import is refused before
/// any byte of the body is read: nothing written, no temporary file.
/// </summary>
public sealed class ImportLimitTests(ApiFixture fixture) : ApiTest(fixture)
{
    static string Enrolment(string id) =>
        JsonSerializer.Serialize(new { patientId = id, type = "enrolment", body = new { birthDate = "2006-04-12", sex = "female" } }, JsonSerializerOptions.Web) + "\n";

    HttpClient Client()
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Host.Services.GetRequiredService<TestUsers>().Recorder);
        return client;
    }

    static HttpRequestMessage Import(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return new HttpRequestMessage(HttpMethod.Post, "/api/import") { Content = content };
    }

    [Fact]
    public async Task A_stalled_upload_is_a_408_problem_and_nothing_of_it_is_written()
    {
        var configuration = Host.Services.GetRequiredService<IConfiguration>();
        configuration["Timeline:Import:IdleTimeoutSeconds"] = "1";
        try
        {
            // One whole line, then half of the next, then nothing.
            var stalled = new TrickleContent(Enrolment("STALL-1") + "{\"patientId\":\"STALL-1\",\"ty");
            using var response = await Client().SendAsync(Import(stalled));
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.RequestTimeout, body);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            body.ShouldContain("\"field\":\"body\"");
            stalled.Release();
        }
        finally
        {
            configuration["Timeline:Import:IdleTimeoutSeconds"] = null;
        }
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task One_users_concurrent_imports_are_bounded_with_a_429_and_retry_after()
    {
        var limits = Host.Services.GetRequiredService<UserLimits>();
        var recorder = TestUsers.NameOf(Role.Recorder);
        var first = new TrickleContent(Enrolment("FIRST-1"), Enrolment("FIRST-2"));
        var running = Client().SendAsync(Import(first));
        await first.Started;
        for (var i = 0; i < 200 && limits.Running(recorder, CostlyWork.Import) == 0; i++) await Task.Delay(25);
        limits.Running(recorder, CostlyWork.Import).ShouldBe(1);

        using (var second = await Client().SendAsync(Import(new StringContent(Enrolment("SECOND-1")))))
        {
            second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            second.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            second.Headers.RetryAfter!.Delta.ShouldNotBeNull();
            (await second.Content.ReadAsStringAsync()).ShouldContain("imports-per-user");
        }
        // Another user is not held back by this one's import.
        (await Api.PostRaw("/api/import", Enrolment("ADMIN-1"))).ShouldHave(HttpStatusCode.OK);

        first.Release();
        using (var done = await running) done.StatusCode.ShouldBe(HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
        limits.Running(recorder, CostlyWork.Import).ShouldBe(0);
        using (var third = await Client().SendAsync(Import(new StringContent(Enrolment("THIRD-1"))))) third.StatusCode.ShouldBe(HttpStatusCode.OK);

        var ids = (await Api.Get("/api/patients")).Json.EnumerateArray().Select(p => p.GetProperty("patientId").GetString()).Order().ToList();
        ids.ShouldBe(["ADMIN-1", "FIRST-1", "FIRST-2", "THIRD-1"]);
    }

    static bool Holds(string file, string text)
    {
        try { return File.ReadAllText(file).Contains(text, StringComparison.Ordinal); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [Fact]
    public async Task An_idempotency_key_on_the_import_is_refused_before_the_body_is_read()
    {
        var temp = Path.GetTempPath();
        var before = Directory.GetFiles(temp, "ASPNETCORE_*.tmp").ToHashSet();
        // 1 MiB promised; the server must answer while the rest has not even been sent.
        var content = new TrickleContent(Enrolment("IDEM-1"), string.Concat(Enumerable.Range(2, 5000).Select(i => Enrolment($"IDEM-{i}"))));
        var request = Import(content);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await Client().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        body.ShouldContain("\"field\":\"Idempotency-Key\"");
        content.RestSent.ShouldBeFalse("the body was read");
        content.Release();

        // No buffered copy of this body (other processes on the machine may buffer their own bodies meanwhile).
        Directory.GetFiles(temp, "ASPNETCORE_*.tmp").Where(f => !before.Contains(f) && Holds(f, "IDEM-")).ShouldBeEmpty();
        (await Api.Get("/api/patients")).Json.GetArrayLength().ShouldBe(0);
    }
}
