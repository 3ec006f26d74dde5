using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Timeline.Tests.Faults;

/// <summary>
/// Dozens of clients at once over real sockets, on one shared patient and on patients of their own, a third
/// of them with If-Match: every acknowledged event is in the store exactly once, versions have no gaps, and
/// every refusal is a 412 (If-Match on a stale version) or a 409; nothing else.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ConcurrentWritersTests(FaultsFixture fixture, ITestOutputHelper output)
{
    const int Clients = 48;
    const int WritesPerClient = 10;

    [Fact]
    public async Task Every_acknowledged_write_is_stored_once_and_every_refusal_is_412_or_409()
    {
        using var setup = fixture.Client();
        const string shared = "CW-SHARED";
        await FaultClients.EnrolAsync(setup, shared);
        var own = Enumerable.Range(0, Clients / 2).Select(i => $"CW-OWN-{i:00}").ToList();
        foreach (var id in own) await FaultClients.EnrolAsync(setup, id);

        var acknowledged = new ConcurrentBag<(string Patient, string Term, Guid EventId, long Version)>();
        var refused = new ConcurrentBag<(string Term, HttpStatusCode Status)>();
        var unexpected = new ConcurrentBag<string>();
        var attempted = 0;

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = fixture.Client();
            var patient = c % 2 == 0 ? shared : own[c / 2];
            var useIfMatch = c % 3 == 0;
            for (var i = 0; i < WritesPerClient; i++)
            {
                var term = $"cw-{c:00}-{i:00}";
                string? ifMatch = null;
                if (useIfMatch)
                {
                    using var read = await client.GetAsync($"api/patients/{patient}/timeline");
                    ifMatch = read.Headers.ETag?.Tag;
                }
                Interlocked.Increment(ref attempted);
                using var request = FaultClients.AdverseEvent(patient, term, ifMatch);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var json = JsonDocument.Parse(body).RootElement;
                    acknowledged.Add((patient, term, json.GetProperty("eventId").GetGuid(), json.GetProperty("version").GetInt64()));
                }
                else if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
                    refused.Add((term, response.StatusCode));
                else
                    unexpected.Add($"{(int)response.StatusCode} {body}");
            }
        })));

        var found = 0;
        var stored = new Dictionary<string, StoredPatient>();
        foreach (var id in own.Prepend(shared))
        {
            stored[id] = await StoredPatient.ReadAsync(setup, id);
            stored[id].ShouldBeWhole();
            found += stored[id].History.Count - 2; // less enrolment and diagnosis
        }

        var line = $"[faults] concurrent writers: {Clients} clients, attempted {attempted}, acknowledged {acknowledged.Count}, " +
                   $"refused {refused.Count} ({refused.Count(r => r.Status == HttpStatusCode.PreconditionFailed)}×412, {refused.Count(r => r.Status == HttpStatusCode.Conflict)}×409), " +
                   $"unexpected {unexpected.Count}, found in the store {found}";
        FaultReport.Print(output, line);

        unexpected.ShouldBeEmpty(Tail(fixture.App.Output));
        (acknowledged.Count + refused.Count).ShouldBe(attempted);
        foreach (var ack in acknowledged)
        {
            stored[ack.Patient].CountEventId(ack.EventId).ShouldBe(1, $"{ack.Term} acknowledged as {ack.EventId}");
            stored[ack.Patient].Count(ack.Term).ShouldBe(1, $"{ack.Term} should be stored exactly once");
            stored[ack.Patient].History[(int)ack.Version - 1].GetProperty("eventId").GetGuid().ShouldBe(ack.EventId, "the acknowledged version holds that event");
        }
        foreach (var r in refused) stored.Values.Sum(s => s.Count(r.Term)).ShouldBe(0, $"{r.Term} was refused but stored");
        found.ShouldBe(acknowledged.Count);
        refused.Count(r => r.Status == HttpStatusCode.PreconditionFailed).ShouldBeGreaterThan(0, "the shared patient's If-Match writers should have clashed");
    }

    static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}
