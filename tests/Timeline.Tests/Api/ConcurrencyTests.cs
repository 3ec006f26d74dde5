using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Tests.Api;

public sealed class ConcurrencyTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task If_Match_on_the_current_version_appends_and_a_stale_one_is_412_with_nothing_written()
    {
        await Api.WithDiagnosedPatient("OSC-001");

        var ok = await Api.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-01-01" }, ifMatch: "\"2\"");
        ok.ShouldHave(HttpStatusCode.OK);
        ok.ETag.ShouldBe("\"3\"");

        var stale = await Api.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-02-01" }, ifMatch: "\"2\"");
        stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed, "If-Match");
        (await Api.VersionOf("OSC-001")).ShouldBe(3);

        (await Api.Post("/api/patients/OSC-001/follow-ups", new { date = "2020-02-01" }, ifMatch: "yesterday"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "If-Match");
    }

    [Fact]
    public async Task Two_racing_appends_with_the_same_If_Match_never_both_succeed()
    {
        for (var round = 0; round < 10; round++)
        {
            var id = $"RACE-{round}";
            await Api.WithDiagnosedPatient(id);
            var racers = Enumerable.Range(0, 2).Select(i =>
                Api.Post($"/api/patients/{id}/follow-ups", new { date = $"2020-01-0{i + 1}" }, ifMatch: "\"2\""));
            var answers = await Task.WhenAll(racers);

            answers.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1, string.Join("\n", answers.Select(a => a.Body)));
            answers.Count(a => a.Status == HttpStatusCode.PreconditionFailed).ShouldBe(1);
            (await Api.VersionOf(id)).ShouldBe(3);
        }
    }

    [Fact]
    public async Task Concurrent_appends_without_If_Match_are_serialized_and_every_one_lands_once()
    {
        await Api.WithDiagnosedPatient("OSC-001");
        const int writers = 24;

        var answers = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            Api.Post("/api/patients/OSC-001/adverse-events", new { date = "2020-01-01", term = $"Nausea {i}", grade = 1 })));

        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK);
        answers.Select(a => a.Json.GetProperty("version").GetInt64()).Order().ShouldBe(Enumerable.Range(3, writers).Select(v => (long)v));
        var history = (await Api.Get("/api/patients/OSC-001/history")).Json;
        history.GetArrayLength().ShouldBe(2 + writers);
        history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, 2 + writers).Select(v => (long)v));
    }

    [Fact]
    public async Task Racing_rule_checks_see_each_other_so_a_patient_never_gets_two_deaths()
    {
        await Api.WithDiagnosedPatient("OSC-001");

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Api.Post("/api/patients/OSC-001/death", new { date = $"2020-01-1{i}" })));

        answers.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1);
        answers.Where(a => a.Status != HttpStatusCode.OK).ShouldAllBe(a => a.Status == HttpStatusCode.BadRequest);
        (await Api.VersionOf("OSC-001")).ShouldBe(3);
    }

    [Fact]
    public async Task Two_racing_enrolments_of_one_id_give_one_201_and_one_409()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Api.Post("/api/patients", new { patientId = "OSC-009", birthDate = "2006-04-12", sex = "male" })));
        answers.Select(a => a.Status).Order().ShouldBe([HttpStatusCode.Created, HttpStatusCode.Conflict]);
    }

    [Fact]
    public async Task Two_recorders_appending_at_once_are_each_named_on_their_own_events()
    {
        // Appends are written in groups (GroupedAppends), one recorder per group: recordedBy must never mix.
        var patients = Enumerable.Range(0, 6).Select(i => $"PAIR-{i}").ToList();
        foreach (var id in patients) await Api.WithDiagnosedPatient(id);
        var recorder = Api.As(Host.Services.GetRequiredService<TestUsers>().Recorder);

        var posts = Enumerable.Range(0, 48).Select(i =>
        {
            var asRecorder = i % 2 == 0;
            var client = asRecorder ? recorder : Api;
            var term = $"{(asRecorder ? "r" : "a")}-{i}";
            return (Term: term, By: asRecorder ? TestUsers.NameOf(Role.Recorder) : TestUsers.AdminName,
                Answer: client.Post($"/api/patients/{patients[i % patients.Count]}/adverse-events", new { date = "2020-01-01", term, grade = 1 }));
        }).ToList();
        await Task.WhenAll(posts.Select(p => p.Answer));

        posts.ShouldAllBe(p => p.Answer.Result.Status == HttpStatusCode.OK);
        var byTerm = new Dictionary<string, string?>();
        foreach (var id in patients)
            foreach (var e in (await Api.Get($"/api/patients/{id}/history")).Json.EnumerateArray())
                if (e.GetProperty("data").TryGetProperty("term", out var term)) byTerm[term.GetString()!] = e.GetProperty("recordedBy").GetString();
        byTerm.Count.ShouldBe(posts.Count);
        foreach (var p in posts) byTerm[p.Term].ShouldBe(p.By, p.Term);
        foreach (var id in patients) (await Api.VersionOf(id)).ShouldBe(2 + posts.Count / patients.Count);
    }

    [Fact]
    public async Task Grouped_appends_racing_a_writer_outside_the_app_all_land_once()
    {
        // Another process appending to the same patient makes a group's transaction fail: nothing of it is written
        // and each of its appends is tried alone, decided again against the new chart.
        await Api.WithDiagnosedPatient("EXT-001");
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using var stop = new CancellationTokenSource();
        // The app's appends start once the outside writer has landed a first one, so the two are known to overlap:
        // when both started together the 30 appends could all finish before the outside writer's first commit.
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outside = Task.Run(async () =>
        {
            var landed = 0;
            while (!stop.IsCancellationRequested && landed < 50)
            {
                await Task.Delay(5); // a busy recorder elsewhere, not a tight loop (that one would earn the app's 409 "busy")
                await using var session = store.LightweightSession();
                var stream = await session.Events.FetchForWriting<PatientChart>("EXT-001");
                stream.AppendOne(new FollowUpRecorded(new DateOnly(2020, 1, 1)));
                try
                {
                    await session.SaveChangesAsync();
                    landed++;
                    writing.TrySetResult();
                }
                catch (Exception) { } // its own clash with the app: tried again
            }
            writing.TrySetResult();
            return landed;
        });

        await writing.Task;
        const int posts = 30;
        var answers = await Task.WhenAll(Enumerable.Range(0, posts).Select(i =>
            Api.Post("/api/patients/EXT-001/adverse-events", new { date = "2020-01-01", term = $"Nausea {i}", grade = 1 })));
        await stop.CancelAsync();
        var outsideLanded = await outside;

        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK, string.Join("\n", answers.Where(a => a.Status != HttpStatusCode.OK).Select(a => a.Body)));
        outsideLanded.ShouldBeGreaterThan(0);
        var history = (await Api.Get("/api/patients/EXT-001/history")).Json.EnumerateArray().ToList();
        history.Count.ShouldBe(2 + posts + outsideLanded);
        history.Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, history.Count).Select(v => (long)v));
        answers.Select(a => a.Json.GetProperty("version").GetInt64()).Distinct().Count().ShouldBe(posts);
    }
}
