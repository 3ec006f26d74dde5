using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Timeline.Access;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Faults;

/// <summary>
/// A seeded fuzz of every recording route with malformed and hostile requests: invalid JSON, wrong types,
/// huge strings, deep nesting, nulls, control characters and broken Unicode, numbers and dates out of range,
/// extra fields, wrong content types, hostile patient ids. Every case is broken somewhere, so the answer must
/// be a 4xx problem, never a 5xx, and the store must be exactly as before (history compared whole).
/// </summary>
public sealed class RecordingFuzzTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    const int Seed = 20250417;
    const int CasesPerRoute = 60;
    const string Patient = "FUZZ-001";

    /// <summary>A valid body per route (for the patient after its full course): the base every case breaks.</summary>
    static readonly (string Route, Dictionary<string, JsonNode?> Body)[] Routes =
    [
        ("/api/patients", new() { ["patientId"] = "FUZZ-NEW", ["birthDate"] = "2006-04-12", ["sex"] = "female" }),
        ($"/api/patients/{Patient}/diagnosis", new() { ["date"] = "2019-03-01", ["histology"] = "osteosarcoma", ["primarySite"] = "femur", ["metastatic"] = false }),
        ($"/api/patients/{Patient}/treatment-lines", new() { ["line"] = 4, ["startDate"] = "2021-04-01", ["regimen"] = "X", ["agents"] = new JsonArray("pazopanib") }),
        ($"/api/patients/{Patient}/treatment-lines/3/end", new() { ["date"] = "2021-04-01", ["reason"] = "progression" }),
        ($"/api/patients/{Patient}/responses", new() { ["date"] = "2021-04-01", ["line"] = 3, ["category"] = "SD" }),
        ($"/api/patients/{Patient}/progressions", new() { ["date"] = "2021-04-01" }),
        ($"/api/patients/{Patient}/relapses", new() { ["date"] = "2021-04-01" }),
        ($"/api/patients/{Patient}/adverse-events", new() { ["date"] = "2021-04-01", ["line"] = 3, ["term"] = "Fatigue", ["grade"] = 2 }),
        ($"/api/patients/{Patient}/follow-ups", new() { ["date"] = "2021-04-01" }),
        ($"/api/patients/{Patient}/death", new() { ["date"] = "2021-09-10", ["cause"] = "disease" }),
        ($"/api/patients/{Patient}/corrections", new() { ["eventId"] = "EVENT", ["reason"] = "typo", ["replacement"] = new JsonObject { ["date"] = "2021-06-02" } }),
    ];

    [Fact]
    public async Task Hostile_bodies_on_every_recording_route_get_a_4xx_problem_and_write_nothing()
    {
        var ids = await Api.RecordFullCourse(Patient);
        var followUp = ids["follow-up"].ToString();
        var before = (await Api.Get($"/api/patients/{Patient}/history")).Body;
        var list = (await Api.Get("/api/patients")).Body;

        var random = new Random(Seed);
        var statuses = new SortedDictionary<int, int>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var sent = 0;
        foreach (var (route, valid) in Routes)
        {
            for (var i = 0; i < CasesPerRoute; i++)
            {
                var body = valid.ToDictionary(p => p.Key, p => p.Value?.DeepClone());
                if (body.TryGetValue("eventId", out var e) && e?.ToString() == "EVENT") body["eventId"] = followUp;
                var (kind, url, content) = Break(random, route, body);
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                var answer = await Api.Send(request);
                sent++;
                statuses[(int)answer.Status] = statuses.GetValueOrDefault((int)answer.Status) + 1;
                var code = (int)answer.Status;
                if (code is < 400 or >= 500 || answer.ContentType != "application/problem+json")
                    failures.Add($"{kind} {url} → {code} {answer.ContentType}: {Clip(answer.Body)} (sent {Clip(Describe(content))})");
            }
        }

        output.WriteLine($"Fuzz (seed {Seed}): {sent} hostile requests over {Routes.Length} routes");
        output.WriteLine("  by kind: " + string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}")));
        output.WriteLine("  answers: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        FaultReport.Print(output, $"[faults] fuzz: {sent} hostile requests, answers {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}, 5xx: {statuses.Where(s => s.Key >= 500).Sum(s => s.Value)}");
        failures.ShouldBeEmpty();
        (await Api.Get($"/api/patients/{Patient}/history")).Body.ShouldBe(before, "a refused request wrote something");
        (await Api.Get("/api/patients")).Body.ShouldBe(list);
    }

    static (string Kind, string Url, HttpContent Content) Break(Random random, string route, Dictionary<string, JsonNode?> body)
    {
        var fields = body.Keys.ToList();
        string Field() => fields[random.Next(fields.Count)];
        string Json() => new JsonObject(body.Select(p => KeyValuePair.Create(p.Key, p.Value))).ToJsonString();
        HttpContent AsJson(string text) => new StringContent(text, Encoding.UTF8, "application/json");
        var url = route;

        switch (random.Next(14))
        {
            case 0: // not JSON at all, or cut short
            {
                var text = Json();
                string[] broken = [text[..random.Next(1, text.Length - 1)], "{", "[", "nul", "{\"date\":}", text + ",", "{'date':'2020-01-01'}", "\u0000\u0001", "{\"date\":\"2020-01-01\",}"];
                return ("invalid-json", url, AsJson(broken[random.Next(broken.Length)]));
            }
            case 1: // a required field of the wrong type
            {
                JsonNode?[] wrong = [JsonValue.Create(12345), JsonValue.Create(true), new JsonArray(1, 2), new JsonObject { ["x"] = 1 }, JsonValue.Create("not-a-value"), JsonValue.Create(-1.5)];
                var field = Field();
                var value = wrong[random.Next(wrong.Length)];
                // A string is the right type for a free text (and a valid patient id): give those a non-string.
                if (field is "reason" or "term" or "regimen" or "primarySite" or "patientId" && value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    value = JsonValue.Create(12345);
                body[field] = value;
                if (field is "metastatic" or "primarySite" or "regimen" or "cause" || (field == "line" && route.EndsWith("/end", StringComparison.Ordinal)))
                    body.Remove(fields.First(f => f is "date" or "birthDate" or "startDate" or "eventId"));
                return ("wrong-type", url, AsJson(Json()));
            }
            case 2: // a huge string: over the route's text limit, or over the body limit
            {
                var size = random.Next(2) == 0 ? 5_000 : (int)AccessPolicy.MaxBodyBytes + 1_000;
                body[Field()] = new string('A', size);
                RemoveARequiredField(body);
                return ("huge-string", url, AsJson(Json()));
            }
            case 3: // deep nesting, in a known or an unknown field
            {
                var depth = random.Next(70, 2_000);
                var nested = new string('[', depth) + new string(']', depth);
                var text = Json().TrimEnd('}') + $",\"{(random.Next(2) == 0 ? Field() : "extra")}\":{nested}}}";
                return ("deep-nesting", url, AsJson(text));
            }
            case 4: // nulls
            {
                if (random.Next(3) == 0) return ("null-body", url, AsJson("null"));
                body[fields.First(f => f is "date" or "birthDate" or "startDate" or "eventId" or "patientId")] = null;
                return ("null-field", url, AsJson(Json()));
            }
            case 5: // control characters and broken Unicode in a text
            {
                string[] hostile = ["Fatigue\u0000", "\u0007bell", "\ud800", "a\udc00b", "x\u001bx"];
                var text = hostile[random.Next(hostile.Length)];
                var target = fields.FirstOrDefault(f => f is "term" or "histology" or "primarySite" or "regimen" or "reason" or "patientId") ?? "date";
                body[target] = text;
                // A JSON escape for the lone surrogates (JsonNode would replace them with U+FFFD).
                var json = Json().Replace("\\uFFFD", "\\ud800", StringComparison.Ordinal);
                return ("control-unicode", url, AsJson(json));
            }
            case 6: // numbers out of range
            {
                JsonNode?[] numbers = [0, -1, 100, 2147483648L, 1e300, 1.5, -0.0];
                var target = fields.FirstOrDefault(f => f is "line" or "grade") ?? Field();
                body[target] = numbers[random.Next(numbers.Length)]?.DeepClone();
                if (target is not ("line" or "grade")) RemoveARequiredField(body);
                return ("number-range", url, AsJson(Json()));
            }
            case 7: // dates out of range or impossible
            {
                string[] dates = ["0001-01-01", "1899-12-31", "9999-12-31", "2020-02-30", "2020-13-01", "20200101", "2020-01-01T00:00:00Z", "yesterday", ""];
                var target = fields.FirstOrDefault(f => f is "date" or "birthDate" or "startDate");
                if (target is null) { body["eventId"] = "not-a-guid"; return ("date-range", url, AsJson(Json())); }
                body[target] = dates[random.Next(dates.Length)];
                return ("date-range", url, AsJson(Json()));
            }
            case 8: // extra fields (recordedBy among them) on a body that is broken elsewhere
            {
                body["recordedBy"] = "mallory";
                body["version"] = 1;
                body["__proto__"] = new JsonObject { ["admin"] = true };
                RemoveARequiredField(body);
                return ("extra-fields", url, AsJson(Json()));
            }
            case 9: // the wrong content type, or none
            {
                string[] types = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"];
                if (random.Next(4) == 0)
                    return ("no-content-type", url, new ByteArrayContent(Encoding.UTF8.GetBytes(Json())));
                return ("wrong-content-type", url, new StringContent(random.Next(2) == 0 ? "date=2020-01-01" : "<date>2020-01-01</date>", Encoding.UTF8, types[random.Next(types.Length)]));
            }
            case 10: // a hostile patient id in the path (the enrolment's id is in the body)
            {
                string[] ids = ["OSC%2F001", "OSC-001%20", "%C3%96SC-001", "..%2F..%2Fetc", "%27%3B%20drop%20table%20x%3B--", new string('A', 300), "%F0%9F%98%80", "%E2%80%AE001"];
                var id = ids[random.Next(ids.Length)];
                if (route == "/api/patients") { body["patientId"] = Uri.UnescapeDataString(id); return ("hostile-id", url, AsJson(Json())); }
                return ("hostile-id", route.Replace(Patient, id, StringComparison.Ordinal), AsJson(Json()));
            }
            case 11: // unknown enumeration values
            {
                // (Enumerations are matched case-insensitively: "cr" and "Female" are accepted values.)
                string[] values = ["maybe", "C R", "progress", "", "female,male", "ＣＲ"];
                var target = fields.FirstOrDefault(f => f is "sex" or "category" or "reason" or "cause" or "histology");
                if (target is null || (target == "reason" && route.EndsWith("/corrections", StringComparison.Ordinal)))
                {
                    body["category"] = values[random.Next(values.Length)];
                    RemoveARequiredField(body);
                }
                else body[target] = values[random.Next(values.Length)];
                return ("bad-enum", url, AsJson(Json()));
            }
            case 12: // empty bodies and wrong top-level shapes
            {
                string[] shapes = ["", "{}", "[]", "\"text\"", "42", "true", "[{}]"];
                return ("empty-or-shape", url, AsJson(shapes[random.Next(shapes.Length)]));
            }
            default: // lists too long or of the wrong kind
            {
                if (!body.ContainsKey("agents"))
                {
                    // A list where a single value belongs.
                    var single = fields.First(f => f is "date" or "birthDate" or "eventId" or "patientId");
                    body[single] = new JsonArray(body[single]?.DeepClone(), "2020-01-01");
                    return ("list", url, AsJson(Json()));
                }
                var agents = new JsonArray();
                var count = random.Next(2) == 0 ? 21 : 0;
                for (var i = 0; i < count; i++) agents.Add("sorafenib");
                body["agents"] = random.Next(3) == 0 ? new JsonArray(null, 1, new JsonObject()) : agents;
                return ("list", url, AsJson(Json()));
            }
        }
    }

    // ---- issue 16: the hostile inputs of the review, on every route that takes them and through the import ----

    const int Issue16CasesPerRoute = 24;

    /// <summary>The import's type for each recording route (the corrections are not importable), and what must precede it.</summary>
    static readonly Dictionary<string, (string Type, string[] Preamble)> ImportTypes = new(StringComparer.Ordinal)
    {
        ["/api/patients"] = ("enrolment", []),
        [$"/api/patients/{Patient}/diagnosis"] = ("diagnosis", ["enrolment"]),
        [$"/api/patients/{Patient}/treatment-lines"] = ("treatment-line", ["full"]),
        [$"/api/patients/{Patient}/treatment-lines/3/end"] = ("treatment-line-end", ["full"]),
        [$"/api/patients/{Patient}/responses"] = ("response", ["full"]),
        [$"/api/patients/{Patient}/progressions"] = ("progression", ["full"]),
        [$"/api/patients/{Patient}/relapses"] = ("relapse", ["full"]),
        [$"/api/patients/{Patient}/adverse-events"] = ("adverse-event", ["full"]),
        [$"/api/patients/{Patient}/follow-ups"] = ("follow-up", ["full"]),
        [$"/api/patients/{Patient}/death"] = ("death", ["full"]),
    };

    /// <summary>The study's course up to an open third line (as RecordFullCourse, without its later facts): every base body fits after it.</summary>
    static IEnumerable<string> Preamble(string id, string kind)
    {
        string Line(string type, object body) => System.Text.Json.JsonSerializer.Serialize(new { patientId = id, type, body }, System.Text.Json.JsonSerializerOptions.Web);
        if (kind == "") yield break;
        yield return Line("enrolment", new { birthDate = "2006-04-12", sex = "female" });
        if (kind == "enrolment") yield break;
        yield return Line("diagnosis", new { date = "2019-03-01", histology = "osteosarcoma", primarySite = "femur" });
        yield return Line("treatment-line", new { line = 1, startDate = "2019-03-15", regimen = "MAP", agents = new[] { "methotrexate" } });
        yield return Line("treatment-line-end", new { line = 1, date = "2019-10-01", reason = "completed" });
        yield return Line("relapse", new { date = "2020-05-01" });
        yield return Line("treatment-line", new { line = 2, startDate = "2020-05-20", agents = new[] { "ifosfamide" } });
        yield return Line("treatment-line-end", new { line = 2, date = "2020-11-01", reason = "progression" });
        yield return Line("progression", new { date = "2020-11-01" });
        yield return Line("treatment-line", new { line = 3, startDate = "2020-11-20", agents = new[] { "sorafenib" } });
    }

    /// <summary>An import of one patient: the preamble its route needs, then <paramref name="body"/> as the route's fact.</summary>
    static string ImportOf(string route, string id, string body)
    {
        var (type, preamble) = ImportTypes[route];
        var last = $"{{\"patientId\":{System.Text.Json.JsonSerializer.Serialize(id)},\"type\":\"{type}\",\"body\":{body}}}";
        return string.Join("\n", Preamble(id, preamble.FirstOrDefault() ?? "").Append(last)) + "\n";
    }

    [Fact]
    public async Task The_reviews_hostile_inputs_are_refused_on_every_route_and_in_the_import_and_write_nothing()
    {
        var ids = await Api.RecordFullCourse(Patient);
        var followUp = ids["follow-up"].ToString();

        // Controls: each route's base body, imported after its preamble, is accepted; so a refusal below is the hostile input's.
        var control = 0;
        foreach (var (route, valid) in Routes.Where(r => ImportTypes.ContainsKey(r.Route)))
        {
            var id = $"FUZZ-CTL-{++control}";
            var body = new JsonObject(valid.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
            if (route == "/api/patients") body["patientId"] = id;
            if (route.EndsWith("/end", StringComparison.Ordinal)) body["line"] = 3;
            if (route.EndsWith("/diagnosis", StringComparison.Ordinal)) body["date"] = "2019-03-01";
            var imported = (await Api.PostRaw("/api/import", ImportOf(route, id, body.ToJsonString()))).ShouldHave(HttpStatusCode.OK).Json;
            imported.GetProperty("patientsImported").GetInt32().ShouldBe(1, $"control for {route}: {imported}");
        }

        var before = (await Api.Get($"/api/patients/{Patient}/history")).Body;
        var list = (await Api.Get("/api/patients")).Body;
        var random = new Random(Seed + 16);
        var failures = new List<string>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var (route, valid) in Routes)
        {
            for (var i = 0; i < Issue16CasesPerRoute; i++)
            {
                var body = valid.ToDictionary(p => p.Key, p => p.Value?.DeepClone());
                if (body.TryGetValue("eventId", out var e) && e?.ToString() == "EVENT") body["eventId"] = followUp;
                if (route.EndsWith("/end", StringComparison.Ordinal) && !route.Contains("corrections", StringComparison.Ordinal)) body["line"] = 3;
                var (kind, url, json, importId) = Hostile(random, route, body);
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;

                var answer = await Api.Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
                sent++;
                if ((int)answer.Status is < 400 or >= 500 || answer.ContentType != "application/problem+json")
                    failures.Add($"{kind} {url} → {(int)answer.Status}: {Clip(answer.Body)} (sent {Clip(json)})");

                if (!ImportTypes.ContainsKey(route)) continue;
                var id = importId ?? $"FUZZ-IMP-{sent}";
                var import = await Api.PostRaw("/api/import", ImportOf(route, id, json));
                sent++;
                if (import.Status != HttpStatusCode.OK || import.Json.GetProperty("patientsImported").GetInt32() != 0)
                    failures.Add($"{kind} import as {ImportTypes[route].Type} → {(int)import.Status}: {Clip(import.Body)} (sent {Clip(json)})");
            }
        }

        output.WriteLine($"Issue 16 fuzz (seed {Seed + 16}): {sent} hostile requests; by kind: " + string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}")));
        FaultReport.Print(output, $"[faults] issue-16 fuzz: {sent} hostile requests (routes and import), failures {failures.Count}");
        failures.ShouldBeEmpty();
        (await Api.Get($"/api/patients/{Patient}/history")).Body.ShouldBe(before, "a refused request wrote something");
        (await Api.Get("/api/patients")).Body.ShouldBe(list, "a refused import wrote something");
    }

    /// <summary>One of the review's hostile inputs, applied where the route has a place for it; always broken somewhere.</summary>
    static (string Kind, string Url, string Json, string? ImportId) Hostile(Random random, string route, Dictionary<string, JsonNode?> body)
    {
        string Json() => new JsonObject(body.Select(p => KeyValuePair.Create(p.Key, p.Value))).ToJsonString(
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var isEnrolment = route == "/api/patients";
        var isCorrection = route.EndsWith("/corrections", StringComparison.Ordinal);
        var target = isCorrection ? (JsonObject)body["replacement"]! : null;
        string? DateField() => body.Keys.FirstOrDefault(f => f is "date" or "birthDate" or "startDate");

        void SetDate(string value)
        {
            if (target is not null) target["date"] = value;
            else body[DateField()!] = value;
        }

        switch (random.Next(6))
        {
            case 0: // an id with a final newline, or digits of another script
            {
                string[] ids = ["FUZZ-NEW\n", "FUZZ-NEW\r\n", "FUZZ-\u0661", "FUZZ-\uFF11", "FUZZ-NEW\u2028"];
                var id = ids[random.Next(ids.Length)];
                if (isEnrolment)
                {
                    body["patientId"] = id;
                    return ("newline-or-digit-id", route, Json(), id);
                }
                return ("newline-or-digit-id", route.Replace(Patient, Uri.EscapeDataString(Patient + id[^1]), StringComparison.Ordinal), Json(), Patient + id[^1]);
            }
            case 1: // an ICD-O-3 code or a date in digits of another script
            {
                if (body.ContainsKey("histology"))
                {
                    string[] codes = ["\uFF19\uFF11\uFF18\uFF10/3", "\u0669\u0661\u0668\u0660/3", "9180/\u0663", "\u09EF\u09E7\u09EE\u09E6/3"];
                    body["histology"] = codes[random.Next(codes.Length)];
                    return ("unicode-digit-code", route, Json(), null);
                }
                SetDate("\uFF12\uFF10\uFF12\uFF11-04-01");
                return ("unicode-digit-date", route, Json(), null);
            }
            case 2: // format characters and separators in a text
            {
                string[] hidden = ["\u202E", "\u200B", "\uFEFF", "\u2028", "\u2029", "\u061C", "\u00AD", "\U000E0041"];
                var mark = hidden[random.Next(hidden.Length)];
                var text = body.Keys.FirstOrDefault(f => f is "term" or "primarySite" or "regimen" or "reason");
                if (body.ContainsKey("agents") && random.Next(2) == 0) body["agents"] = new JsonArray("sora" + mark + "fenib");
                else if (text is not null) body[text] = "Fat" + mark + "igue";
                else SetDate("2021-04-01" + mark);
                return ("format-characters", route, Json(), null);
            }
            case 3: // a key given twice (the last would win)
            {
                var json = Json();
                // In a correction, inside the replacement too (a nested body is read by the same strict rules).
                if (target is not null && random.Next(2) == 0)
                    return ("duplicate-key", route, json.Replace("\"replacement\":{", "\"replacement\":{\"date\":\"2021-06-03\",", StringComparison.Ordinal), null);
                var field = body.Keys.First();
                var duplicate = $"\"{field}\":{body[field]?.ToJsonString() ?? "null"},";
                return ("duplicate-key", route, "{" + duplicate + json[1..], null);
            }
            case 4: // a number typed as a string
            {
                var number = body.Keys.FirstOrDefault(f => f is "line" or "grade");
                if (number is not null) body[number] = body[number]?.ToString();
                else
                {
                    // No number on this route: a string number where a date belongs.
                    SetDate("20210401");
                }
                return ("string-number", route, Json(), null);
            }
            default: // a date given as a timestamp with an offset (dates are YYYY-MM-DD)
            {
                string[] offsets = ["+01:00", "-05:00", "+14:00", "Z"];
                SetDate("2021-04-01T00:00:00" + offsets[random.Next(offsets.Length)]);
                return ("date-with-offset", route, Json(), null);
            }
        }
    }

    static void RemoveARequiredField(Dictionary<string, JsonNode?> body)
    {
        foreach (var f in new[] { "date", "birthDate", "startDate", "eventId" })
            if (body.Remove(f)) return;
    }

    static string Describe(HttpContent content) => $"{content.Headers.ContentType} {content.ReadAsStringAsync().GetAwaiter().GetResult()}";

    static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
