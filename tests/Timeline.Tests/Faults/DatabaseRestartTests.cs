using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Timeline.Tests.Faults;

/// <summary>
/// PostgreSQL is stopped under the running app and started again on the same data directory: during the
/// outage every write is refused cleanly (503 problem details, never a 500, nothing half-written) and /health
/// says 503; afterwards the app recovers by itself (a fresh connection pool), /health says 200 and writes land.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DatabaseRestartTests(FaultsFixture fixture, ITestOutputHelper output)
{
    const int Writers = 8;

    [Fact]
    public async Task Requests_during_a_database_restart_get_503_and_the_app_recovers_by_itself()
    {
        var patients = Enumerable.Range(0, Writers).Select(i => $"PGR-{i}").ToList();
        using var client = fixture.Client();
        foreach (var id in patients) await FaultClients.EnrolAsync(client, id);

        var acknowledged = new ConcurrentBag<(string Patient, string Term, Guid EventId, DateTime At)>();
        var refusedDuringOutage = new ConcurrentBag<(string Patient, string Term, int Status, string ContentType)>();
        var unexpected = new ConcurrentBag<string>();
        var attempted = 0;
        var phase = 0; // 0 before, 1 outage, 2 after
        using var stop = new CancellationTokenSource();

        var writers = patients.Select((patient, w) => Task.Run(async () =>
        {
            using var writer = fixture.Client(TimeSpan.FromSeconds(20));
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var term = $"pgr-{w}-{i:0000}";
                Interlocked.Increment(ref attempted);
                using var request = FaultClients.AdverseEvent(patient, term);
                using var response = await writer.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                    acknowledged.Add((patient, term, JsonDocument.Parse(body).RootElement.GetProperty("eventId").GetGuid(), DateTime.UtcNow));
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refusedDuringOutage.Add((patient, term, 503, response.Content.Headers.ContentType?.MediaType ?? ""));
                    await Task.Delay(50);
                }
                else
                    unexpected.Add($"phase {Volatile.Read(ref phase)}: {(int)response.StatusCode} {body}");
            }
        })).ToList();

        await Task.Delay(1_000);
        var beforeOutage = acknowledged.Count;
        await fixture.StopDatabaseAsync();
        Volatile.Write(ref phase, 1);
        var outage = Stopwatch.StartNew();

        // During the outage: /health is 503, a read is a 503 problem, writes keep being refused.
        using var anonymous = new HttpClient { BaseAddress = fixture.App.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        (await anonymous.GetAsync("health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var read = await client.GetAsync($"api/patients/{patients[0]}/history");
        read.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        read.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        await Task.Delay(1_500);
        var refusedInOutage = refusedDuringOutage.Count;

        await fixture.StartDatabaseAsync();
        var downFor = outage.Elapsed;
        Volatile.Write(ref phase, 2);
        var recovery = Stopwatch.StartNew();
        while ((await anonymous.GetAsync("health")).StatusCode != HttpStatusCode.OK)
        {
            recovery.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the app did not recover within 30 s of the database's return");
            await Task.Delay(100);
        }
        var healthyAfter = recovery.Elapsed;
        var ackAtRecovery = acknowledged.Count;
        var writesDeadline = DateTime.UtcNow.AddSeconds(20);
        while (acknowledged.Count < ackAtRecovery + 40 && DateTime.UtcNow < writesDeadline) await Task.Delay(50);
        stop.Cancel();
        await Task.WhenAll(writers);

        var found = 0;
        var stored = new Dictionary<string, StoredPatient>();
        foreach (var id in patients)
        {
            stored[id] = await StoredPatient.ReadAsync(client, id);
            stored[id].ShouldBeWhole();
            found += stored[id].History.Count - 2;
        }
        var refusedButStored = refusedDuringOutage.Count(r => stored[r.Patient].Count(r.Term) > 0);

        var line = $"[faults] database restart: attempted {attempted}, acknowledged {acknowledged.Count} ({beforeOutage} before the outage, " +
                   $"{acknowledged.Count - ackAtRecovery} after recovery), refused with 503 {refusedDuringOutage.Count} ({refusedInOutage} while down for {downFor.TotalSeconds:0.0} s), " +
                   $"healthy {healthyAfter.TotalSeconds:0.0} s after the restart, unexpected {unexpected.Count}, found in the store {found}";
        FaultReport.Print(output, line);

        unexpected.ShouldBeEmpty();
        refusedDuringOutage.Count.ShouldBeGreaterThan(0);
        refusedDuringOutage.ShouldAllBe(r => r.ContentType == "application/problem+json");
        refusedButStored.ShouldBe(0, "a write refused with 503 was stored");
        foreach (var ack in acknowledged) stored[ack.Patient].CountEventId(ack.EventId).ShouldBe(1, ack.Term);
        found.ShouldBe(acknowledged.Count);
        (acknowledged.Count - ackAtRecovery).ShouldBeGreaterThan(0, "no write landed after the recovery");
    }
}
