using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Timeline.LocalDatabase;
using Timeline.Tests.Access;
using Timeline.Tests.Support;

namespace Timeline.Tests.Faults;

[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsFixture>
{
    public const string Name = "faults";
}

/// <summary>
/// The built app as its own process on a loopback port, on its own private PostgreSQL, with an admin token:
/// what a crash, a database restart or many clients at once can reach. Shared by the fault tests, which run
/// one after the other and each use their own patients.
/// </summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    readonly string root = Path.Combine(Path.GetTempPath(), "timeline-tests", "faults-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalPostgres Database { get; private set; } = null!;
    public AppProcess App { get; private set; } = null!;
    public string Token { get; private set; } = "";
    string DataDirectory => Path.Combine(root, "db");

    public async Task InitializeAsync()
    {
        Database = await LocalPostgres.StartAsync(DataDirectory);
        App = await AppProcess.StartAsync(Database.ConnectionString);
        Token = await IssuedTokens.AddUserAsync(App, "fault-admin", "admin");
    }

    /// <summary>Stops PostgreSQL (pg_ctl stop -m fast: sessions are cut) under the running app.</summary>
    public Task StopDatabaseAsync() => Database.StopAsync();

    /// <summary>Starts PostgreSQL again on the same data directory (same socket, same connection string).</summary>
    public async Task StartDatabaseAsync() => Database = await LocalPostgres.StartAsync(DataDirectory);

    public HttpClient Client(TimeSpan? timeout = null) => IssuedTokens.Client(App, Token, timeout);

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>What the store holds for one patient, read back through the API.</summary>
public sealed record StoredPatient(string PatientId, IReadOnlyList<JsonElement> History, long ListedVersion, long TimelineVersion)
{
    public static async Task<StoredPatient> ReadAsync(HttpClient client, string id)
    {
        var history = await client.GetFromJsonAsync<List<JsonElement>>($"api/patients/{id}/history") ?? [];
        var list = await client.GetFromJsonAsync<List<JsonElement>>("api/patients") ?? [];
        var listed = list.Single(p => p.GetProperty("patientId").GetString() == id).GetProperty("version").GetInt64();
        var timeline = await client.GetFromJsonAsync<JsonElement>($"api/patients/{id}/timeline");
        return new(id, history, listed, timeline.GetProperty("version").GetInt64());
    }

    /// <summary>Versions 1..n with no gap or repeat; the inline chart (the list) and the replayed timeline agree with it.</summary>
    public void ShouldBeWhole()
    {
        History.Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, History.Count).Select(v => (long)v), $"{PatientId}: versions");
        ListedVersion.ShouldBe(History.Count, $"{PatientId}: the patient list (inline projection) disagrees with the history");
        TimelineVersion.ShouldBe(History.Count, $"{PatientId}: the timeline disagrees with the history");
    }

    /// <summary>How many events carry this marker (an adverse event's term).</summary>
    public int Count(string term) => History.Count(e =>
        e.GetProperty("data").TryGetProperty("term", out var t) && t.GetString() == term);

    public int CountEventId(Guid id) => History.Count(e => e.GetProperty("eventId").GetGuid() == id);
}

public static class FaultClients
{
    public static async Task EnrolAsync(HttpClient client, string id)
    {
        (await client.PostAsJsonAsync("api/patients", new { patientId = id, birthDate = "2006-04-12", sex = "female" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"api/patients/{id}/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>A write that names itself: an adverse event whose term is unique, so the store can be searched for it.</summary>
    public static HttpRequestMessage AdverseEvent(string id, string term, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/patients/{id}/adverse-events")
        {
            Content = JsonContent.Create(new { date = "2020-01-01", term, grade = 1 }),
        };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }
}
