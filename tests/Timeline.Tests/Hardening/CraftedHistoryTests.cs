using System.Net;
using System.Text;
using System.Text.Json;
using Timeline.Import;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16, "crafted histories": patients of the most facts an import takes, arranged so every line start is
/// checked against hundreds of facts that name a line started far down the history (the arrangement that made the
/// line rules cubic in a patient's facts). They are imported whole and correctly; the rate is printed, not asserted.
/// </summary>
public sealed class CraftedHistoryTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    public const int Patients = 10;
    const int Lines = 99, PerLine = 10;

    static string Line(string id, string type, object body) => JsonSerializer.Serialize(new { patientId = id, type, body }, JsonSerializerOptions.Web);

    /// <summary>
    /// Enrolment, diagnosis, a long run of follow-ups, then line 1 and, for each line, its responses and an adverse
    /// event before the next line starts (99 lines), and the last line's end: <see cref="PatientHistory.MaxFacts"/> facts.
    /// </summary>
    public static IEnumerable<string> History(string id)
    {
        var day = new DateOnly(2010, 1, 1);
        string Next() => (day = day.AddDays(1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        yield return Line(id, "enrolment", new { birthDate = "2000-01-01", sex = "male" });
        yield return Line(id, "diagnosis", new { date = Next(), histology = "osteosarcoma", primarySite = "femur" });
        var followUps = PatientHistory.MaxFacts - 2 - 1 - (Lines - 1) * (PerLine + 2) - 1;
        for (var i = 0; i < followUps; i++) yield return Line(id, "follow-up", new { date = Next() });
        yield return Line(id, "treatment-line", new { line = 1, startDate = Next(), agents = new[] { "sorafenib" } });
        for (var line = 1; line < Lines; line++)
        {
            for (var r = 0; r < PerLine; r++) yield return Line(id, "response", new { date = Next(), line, category = "SD" });
            yield return Line(id, "adverse-event", new { date = Next(), line, term = "Fatigue", grade = 1 });
            yield return Line(id, "treatment-line", new { line = line + 1, startDate = Next(), agents = new[] { "pazopanib" } });
        }
        yield return Line(id, "treatment-line-end", new { line = Lines, date = Next(), reason = "progression" });
    }

    public static string File() =>
        string.Join("\n", Enumerable.Range(1, Patients).SelectMany(p => History($"CRAFT-{p:00}"))) + "\n";

    [Fact]
    public async Task Crafted_histories_at_the_fact_limit_are_imported_whole_and_correctly()
    {
        var file = File();
        History("X").Count().ShouldBe(PatientHistory.MaxFacts);

        var answer = (await Api.PostRaw("/api/import", file)).ShouldHave(HttpStatusCode.OK).Json;

        answer.GetProperty("patientsRefused").GetInt32().ShouldBe(0, answer.ToString());
        answer.GetProperty("patientsImported").GetInt32().ShouldBe(Patients);
        var events = answer.GetProperty("eventsAppended").GetInt64();
        events.ShouldBe(Patients * (long)PatientHistory.MaxFacts);
        var ms = Math.Max(1, answer.GetProperty("elapsedMs").GetInt64());
        output.WriteLine($"crafted import: {events} events in {ms} ms = {events * 1000 / ms} events/s");

        var timeline = (await Api.Get("/api/patients/CRAFT-07/timeline")).ShouldHave(HttpStatusCode.OK).Json;
        timeline.GetProperty("version").GetInt64().ShouldBe(PatientHistory.MaxFacts);
        var lines = timeline.GetProperty("treatmentLines");
        lines.GetArrayLength().ShouldBe(Lines);
        lines[0].GetProperty("responses").GetArrayLength().ShouldBe(PerLine);
        lines[Lines - 1].GetProperty("endReason").GetString().ShouldBe("progression");
        // Lines 1–98 were never ended: the patient is on treatment (the last open line), as the chart says.
        (await Api.Get("/api/patients?histology=osteosarcoma")).Json.EnumerateArray()
            .Count(p => p.GetProperty("status").GetString() == "on-treatment").ShouldBe(Patients);
    }

    [Fact]
    public async Task A_crafted_history_that_breaks_a_line_rule_late_is_still_refused_at_that_line()
    {
        var lines = History("CRAFT-BAD").ToList();
        // The last line start names a line number that skips one: line-order, at that very line of the file.
        var lastStart = lines.FindLastIndex(l => l.Contains("\"treatment-line\"", StringComparison.Ordinal));
        lines[lastStart] = lines[lastStart].Replace($"\"line\":{Lines}", $"\"line\":{Lines + 1}", StringComparison.Ordinal);
        var answer = (await Api.PostRaw("/api/import", string.Join("\n", lines) + "\n")).ShouldHave(HttpStatusCode.OK).Json;
        answer.GetProperty("patientsImported").GetInt32().ShouldBe(0);
        answer.GetProperty("refused")[0].GetProperty("reason").GetString()!.ShouldStartWith($"line {lastStart + 1} (treatment-line)");
    }
}
