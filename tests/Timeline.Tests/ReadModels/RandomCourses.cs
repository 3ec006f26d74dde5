using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timeline.Tests.Api;

namespace Timeline.Tests.ReadModels;

/// <summary>
/// SYNTHETIC patients recorded through the API in a random interleaving (fixed seed): plausible courses (two or
/// three lines, an mTKI on some, responses, progressions and relapses, follow-ups, deaths) with random corrections
/// and retractions of earlier facts among them. Refusals by the clinical rules are allowed (they write nothing);
/// what matters is that the accepted appends reshape the patients in every way the analyses read.
/// </summary>
public sealed class RandomCourses(Scenarios api, int seed)
{
    readonly Random random = new(seed);
    readonly List<(string Patient, Guid EventId, string Route, JsonObject Body)> recorded = [];

    public int Accepted { get; private set; }

    public async Task RecordAsync(int patients, int corrections)
    {
        var queues = new List<Queue<(string Route, JsonObject Body)>>();
        for (var p = 0; p < patients; p++)
        {
            var id = $"RND{seed}-{p:00}";
            (await api.Post("/api/patients", new { patientId = id, birthDate = Day(2000, 3_000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sex = random.Next(2) == 0 ? "female" : "male" }))
                .ShouldHave(HttpStatusCode.Created);
            queues.Add(new Queue<(string, JsonObject)>(Course().Select(step => ($"/api/patients/{id}/{step.Route}", step.Body))));
        }
        var correctionsLeft = corrections;
        while (queues.Any(q => q.Count > 0))
        {
            if (correctionsLeft > 0 && recorded.Count > 3 && random.Next(4) == 0)
            {
                await CorrectOrRetractAsync();
                correctionsLeft--;
                continue;
            }
            var open = queues.Where(q => q.Count > 0).ToList();
            var (route, body) = open[random.Next(open.Count)].Dequeue();
            var answer = await api.Post(route, body);
            if (answer.Status != HttpStatusCode.OK) continue;
            Accepted++;
            recorded.Add((route.Split('/')[3], answer.Json.GetProperty("eventId").GetGuid(), route, body));
        }
    }

    /// <summary>One course, dates rising from a random diagnosis: what each patient would report, in order.</summary>
    IEnumerable<(string Route, JsonObject Body)> Course()
    {
        var day = Day(5_500, 6_500);
        DateOnly Next(int min, int max) => day = day.AddDays(random.Next(min, max));
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var histology = new[] { "osteosarcoma", "synovial sarcoma", "9260/3" }[random.Next(3)];
        yield return ("diagnosis", new JsonObject { ["date"] = D(day), ["histology"] = histology, ["metastatic"] = random.Next(2) == 0 });
        var lines = random.Next(1, 4);
        for (var line = 1; line <= lines; line++)
        {
            var mtki = line >= 2 && random.Next(2) == 0;
            var start = Next(5, 60);
            yield return ("treatment-lines", new JsonObject { ["line"] = line, ["startDate"] = D(start),
                ["agents"] = new JsonArray(mtki ? new[] { "sorafenib", "pazopanib", "regorafenib" }[random.Next(3)] : "doxorubicin") });
            if (random.Next(2) == 0)
                yield return ("responses", new JsonObject { ["date"] = D(Next(20, 90)), ["line"] = line, ["category"] = new[] { "CR", "PR", "SD", "PD", "NE" }[random.Next(5)] });
            if (random.Next(3) == 0)
                yield return ("adverse-events", new JsonObject { ["date"] = D(Next(1, 30)), ["line"] = line, ["term"] = "Nausea", ["grade"] = random.Next(1, 4) });
            yield return (random.Next(2) == 0 ? "progressions" : "relapses", new JsonObject { ["date"] = D(Next(10, 200)) });
            if (random.Next(2) == 0)
                yield return ($"treatment-lines/{line}/end", new JsonObject { ["date"] = D(Next(0, 20)), ["reason"] = "progression" });
        }
        yield return ("follow-ups", new JsonObject { ["date"] = D(Next(10, 300)) });
        if (random.Next(2) == 0) yield return ("death", new JsonObject { ["date"] = D(Next(1, 200)), ["cause"] = "disease" });
    }

    /// <summary>A recorded fact replaced with its dates moved, or retracted; the rules may refuse either.</summary>
    async Task CorrectOrRetractAsync()
    {
        var (patient, eventId, route, body) = recorded[random.Next(recorded.Count)];
        object request;
        if (random.Next(3) == 0)
        {
            request = new { eventId, reason = "SYNTHETIC: entered in error", retract = true };
        }
        else
        {
            var replacement = (JsonObject)body.DeepClone();
            foreach (var field in new[] { "date", "startDate" })
                if (replacement[field] is { } value)
                    replacement[field] = DateOnly.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture).AddDays(random.Next(-40, 41)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (route.EndsWith("/end", StringComparison.Ordinal)) replacement["line"] = int.Parse(route.Split('/')[5], CultureInfo.InvariantCulture);
            request = new { eventId, reason = "SYNTHETIC: date corrected from the source record", replacement };
        }
        var answer = await api.Post($"/api/patients/{patient}/corrections", request);
        if (answer.Status == HttpStatusCode.OK) Accepted++;
    }

    DateOnly Day(int min, int max) => new DateOnly(2000, 1, 1).AddDays(random.Next(min, max));

    public static string Canonical(JsonElement rows) => JsonSerializer.Serialize(rows);
}
