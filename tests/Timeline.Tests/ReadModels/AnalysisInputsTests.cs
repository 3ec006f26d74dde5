using System.Globalization;
using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Timeline.Analyses;
using Timeline.Projections;
using Timeline.Projections.Events;
using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;
using Timeline.Projections.ReadModels;
using Timeline.Tests.Api;

namespace Timeline.Tests.ReadModels;

/// <summary>
/// The analyses' read model against a computation from scratch: the events read back from the store, replayed
/// into charts and outcomes with no read model involved. Random SYNTHETIC courses with corrections and
/// retractions (several seeds); now, as of every recorded time of the log, and after a rebuild.
/// </summary>
public sealed class AnalysisInputsTests(ApiFixture fixture) : ApiTest(fixture)
{
    IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_read_model_equals_a_replay_of_the_log_now_and_as_of_every_recorded_time(int seed)
    {
        var courses = new RandomCourses(Api, seed);
        await courses.RecordAsync(patients: 6, corrections: 12);
        courses.Accepted.ShouldBeGreaterThan(30);

        var events = await AllEventsAsync();
        (await DataSet(null)).ShouldBe(FromScratch(events, null), "now");

        // Each recorded time of the log, and the instant before it: the state before and after each transaction.
        var times = events.Select(e => e.Timestamp).Distinct().Order().ToList();
        foreach (var t in times.SelectMany(t => new[] { t.AddTicks(-10), t }))
            (await DataSet(t)).ShouldBe(FromScratch(events, t), $"as of {t:O}");
    }

    [Fact]
    public async Task Regenerate_rebuilds_the_same_rows_the_appends_made()
    {
        await new RandomCourses(Api, 7).RecordAsync(patients: 5, corrections: 10);
        var before = await TableAsync();
        before.Count.ShouldBeGreaterThan(5);

        (await Api.Post("/api/analyses/regenerate", new { })).ShouldHave(HttpStatusCode.OK);

        (await TableAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task An_analysis_states_the_sequence_it_reflects_and_a_correction_moves_it()
    {
        var ids = await Api.RecordFullCourse("OSC-001");
        var first = (await Api.Get("/api/analyses/overall-survival")).ShouldHave(HttpStatusCode.OK).Json;
        var events = await AllEventsAsync();
        first.GetProperty("basis").GetProperty("lastSequence").GetInt64().ShouldBe(events.Max(e => e.Sequence));

        (await Api.Post("/api/patients/OSC-001/corrections", new
        {
            eventId = ids["death"], reason = "SYNTHETIC: date of death from the death certificate",
            replacement = new { date = "2021-10-10", cause = "disease" },
        })).ShouldHave(HttpStatusCode.OK);
        var after = (await Api.Get("/api/analyses/patients?unit=days")).ShouldHave(HttpStatusCode.OK).Json;
        after.GetProperty("basis").GetProperty("lastSequence").GetInt64().ShouldBe(events.Max(e => e.Sequence) + 1);
        var row = after.GetProperty("patients")[0];
        row.GetProperty("osEndEventId").GetGuid().ShouldBe(ids["death"]);
        row.GetProperty("anchorEventId").GetGuid().ShouldBe(ids["progression"]);
        row.GetProperty("osTime").GetDouble().ShouldBe(DateOnly.Parse("2021-10-10", CultureInfo.InvariantCulture).DayNumber - DateOnly.Parse("2020-11-01", CultureInfo.InvariantCulture).DayNumber);
    }

    [Fact]
    public async Task A_figure_now_includes_what_another_process_appended_since_the_last_figure()
    {
        await Api.RecordFullCourse("OSC-001");
        await Api.WithDiagnosedPatient("OSC-002");
        (await DataSet(null)).ShouldBe(FromScratch(await AllEventsAsync(), null));

        // Another writer of the same database (a second app, the command line), not this app's store.
        var connectionString = Store.Storage.Database.CreateConnection().ConnectionString;
        await using (var other = DocumentStore.For(o => o.ConfigureTimeline(connectionString)))
        await using (var session = other.LightweightSession())
        {
            session.Events.Append("OSC-002", new FollowUpRecorded(new DateOnly(2020, 2, 2)));
            session.Events.StartStream("OSC-003", new PatientEnrolled(new DateOnly(2007, 1, 1), Sex.Male));
            await session.SaveChangesAsync();
        }

        var now = await DataSet(null);
        now.ShouldBe(FromScratch(await AllEventsAsync(), null));
        now.ShouldContain("\"lastContact\":\"2020-02-02\"");
        now.ShouldContain("OSC-003");
    }

    async Task<string> DataSet(DateTimeOffset? asOf)
    {
        var url = "/api/analyses/patients?unit=days" + (asOf is { } t ? "&asOf=" + Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture)) : "");
        var answer = (await Api.Get(url)).ShouldHave(HttpStatusCode.OK).Json;
        return JsonSerializer.Serialize(answer.GetProperty("patients"));
    }

    static string FromScratch(IReadOnlyList<JasperFx.Events.IEvent> events, DateTimeOffset? asOf)
    {
        var rows = events.Where(e => asOf is null || e.Timestamp <= asOf)
            .GroupBy(e => e.StreamKey!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => PatientRow.From(PatientOutcome.From(PatientChart.Replay(g.Key, g.OrderBy(e => e.Version))), TimeUnit.Days));
        return JsonSerializer.Serialize(JsonSerializer.SerializeToElement(rows, JsonSerializerOptions.Web));
    }

    async Task<IReadOnlyList<JasperFx.Events.IEvent>> AllEventsAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>Every row of the read model, validity included, as text.</summary>
    async Task<List<string>> TableAsync()
    {
        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"select (to_jsonb(t) - '{AnalysisInputs.WrittenBy}')::text from {Store.Options.DatabaseSchemaName}.{AnalysisInputs.TableName} t order by patient_id, valid_from", connection);
        var rows = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
