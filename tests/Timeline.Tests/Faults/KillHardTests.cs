using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Timeline.Tests.Faults;

/// <summary>
/// The app process is killed (SIGKILL) in the middle of a stream of writes and started again: every
/// acknowledged event is there once, nothing is half-written (versions whole, the inline patient list and the
/// timeline agree with the history), and the writes whose answer was lost, retried with the same
/// Idempotency-Key, end up stored exactly once. Half the writers send no key, so their appends are written in
/// groups (GroupedAppends): each of those acknowledged is there once too, and one in flight at most once.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class KillHardTests(FaultsFixture fixture, ITestOutputHelper output)
{
    const int Writers = 16;
    const int Patients = 8;

    [Fact]
    public async Task A_hard_kill_mid_stream_loses_no_acknowledged_write_and_retries_land_once()
    {
        var patients = Enumerable.Range(0, Patients).Select(i => $"KILL-{i}").ToList();
        using (var setup = fixture.Client())
            foreach (var id in patients) await FaultClients.EnrolAsync(setup, id);

        var acknowledged = new ConcurrentBag<(string Patient, string Term, Guid EventId)>();
        var inDoubt = new ConcurrentBag<(string Patient, string Term, string? Key)>();
        var groupedAcknowledged = 0;
        var refused = new ConcurrentBag<string>();
        var attempted = 0;
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            using var client = fixture.Client(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 10_000 && !stop.IsCancellationRequested; i++)
            {
                var patient = patients[(w + i) % Patients];
                var term = $"kill-{w:00}-{i:0000}";
                var key = w % 2 == 0 ? Guid.NewGuid().ToString() : null; // odd writers: no key, grouped appends
                Interlocked.Increment(ref attempted);
                try
                {
                    using var request = FaultClients.AdverseEvent(patient, term, idempotencyKey: key);
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add((patient, term, JsonDocument.Parse(body).RootElement.GetProperty("eventId").GetGuid()));
                        if (key is null) Interlocked.Increment(ref groupedAcknowledged);
                    }
                    else
                        refused.Add($"{(int)response.StatusCode} {body}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    inDoubt.Add((patient, term, key)); // sent, no answer: the server died with it in flight
                    return;
                }
            }
        })).ToList();

        // Let the writes flow, then kill the server in the middle of them.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (acknowledged.Count < 300 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var ackedAtKill = acknowledged.Count;
        fixture.App.KillHard();
        stop.Cancel();
        await Task.WhenAll(writers);
        await fixture.App.StartAgainAsync();

        using var client = fixture.Client();
        var stored = new Dictionary<string, StoredPatient>();
        foreach (var id in patients)
        {
            stored[id] = await StoredPatient.ReadAsync(client, id);
            stored[id].ShouldBeWhole();
        }
        var doubtfulFound = inDoubt.Count(d => d.Key is not null && stored[d.Patient].Count(d.Term) == 1);
        var keylessInDoubt = inDoubt.Where(d => d.Key is null).ToList();
        var keylessFound = keylessInDoubt.Count(d => stored[d.Patient].Count(d.Term) == 1);
        foreach (var ack in acknowledged)
        {
            stored[ack.Patient].CountEventId(ack.EventId).ShouldBe(1, $"{ack.Term}: acknowledged before the kill but not in the store once");
            stored[ack.Patient].Count(ack.Term).ShouldBe(1);
        }
        foreach (var d in inDoubt) stored[d.Patient].Count(d.Term).ShouldBeLessThanOrEqualTo(1, $"{d.Term} stored twice");

        // The client retries what it never heard back about, with the same key: exactly once in the end.
        var replayed = 0;
        foreach (var d in inDoubt.Where(d => d.Key is not null))
        {
            using var retry = FaultClients.AdverseEvent(d.Patient, d.Term, idempotencyKey: d.Key);
            using var response = await client.SendAsync(retry);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            if (response.Headers.Contains("Idempotent-Replayed")) replayed++;
        }
        var found = 0;
        foreach (var id in patients)
        {
            stored[id] = await StoredPatient.ReadAsync(client, id);
            stored[id].ShouldBeWhole();
            found += stored[id].History.Count - 2;
        }
        foreach (var d in inDoubt.Where(d => d.Key is not null)) stored[d.Patient].Count(d.Term).ShouldBe(1, $"{d.Term} after its retry");
        foreach (var d in keylessInDoubt) stored[d.Patient].Count(d.Term).ShouldBeLessThanOrEqualTo(1, $"{d.Term} (no key) stored twice");

        var line = $"[faults] kill -9: attempted {attempted}, acknowledged {acknowledged.Count} ({ackedAtKill} when the kill was ordered), " +
                   $"of them {groupedAcknowledged} without a key (grouped), in flight at the kill {inDoubt.Count} (with a key {inDoubt.Count - keylessInDoubt.Count}: " +
                   $"already stored {doubtfulFound}, retried with their key: {replayed} replayed, {inDoubt.Count - keylessInDoubt.Count - replayed} recorded now; " +
                   $"without a key {keylessInDoubt.Count}: {keylessFound} stored), refused {refused.Count}, found in the store {found}";
        FaultReport.Print(output, line);
        refused.ShouldBeEmpty();
        groupedAcknowledged.ShouldBeGreaterThan(0);
        found.ShouldBe(acknowledged.Count + inDoubt.Count - keylessInDoubt.Count + keylessFound);
        replayed.ShouldBe(doubtfulFound);
    }
}
