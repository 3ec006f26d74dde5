// SYNTHETIC histories — not patient data. Every id, date and fact is drawn from a seeded random source.

using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Timeline.Import;

/// <summary>
/// Generates plausible, rule-abiding SYNTHETIC patient histories as import NDJSON: ids <c>SYN-000001</c>… and
/// <c>"synthetic": true</c> on every line. Mixed histologies, one to four treatment lines with standard
/// chemotherapy first and mTKI lines for some later lines, responses, adverse events, progressions and relapses,
/// deaths and follow-ups; about eleven facts per patient. The same seed gives the same bytes: every date lies on or
/// before <see cref="LastDate"/> (a fixed date, not today), so the output does not depend on when it is made.
/// </summary>
public sealed class SyntheticCohort(int seed, string idPrefix = SyntheticCohort.DefaultPrefix)
{
    public const string DefaultPrefix = "SYN-";

    /// <summary>No generated fact is dated later than this.</summary>
    public static readonly DateOnly LastDate = new(2025, 6, 30);
    static readonly DateOnly FirstDiagnosis = new(2000, 1, 1);

    sealed record Histology(string Name, double Weight, string[] Sites, (string Regimen, string[] Agents) First, (string Regimen, string[] Agents) Second);

    static readonly Histology[] Histologies =
    [
        new("osteosarcoma", 0.40, ["distal femur", "proximal tibia", "proximal humerus", "pelvis"],
            ("MAP", ["methotrexate", "doxorubicin", "cisplatin"]), ("IE", ["ifosfamide", "etoposide"])),
        new("ewing sarcoma", 0.20, ["pelvis", "femur", "chest wall", "fibula"],
            ("VIDE", ["vincristine", "ifosfamide", "doxorubicin", "etoposide"]), ("IT", ["irinotecan", "temozolomide"])),
        new("rhabdomyosarcoma", 0.17, ["parameningeal", "orbit", "bladder/prostate", "extremity"],
            ("IVA", ["ifosfamide", "vincristine", "dactinomycin"]), ("VIT", ["vincristine", "irinotecan", "temozolomide"])),
        new("synovial sarcoma", 0.10, ["thigh", "knee", "shoulder", "foot"],
            ("IFO-DOX", ["ifosfamide", "doxorubicin"]), ("trabectedin", ["trabectedin"])),
        new("chondrosarcoma", 0.05, ["pelvis", "femur", "rib"],
            ("DOX-CDDP", ["doxorubicin", "cisplatin"]), ("GEM-DOC", ["gemcitabine", "docetaxel"])),
        new("8804/3", 0.04, ["forearm", "hand"], ("IFO-DOX", ["ifosfamide", "doxorubicin"]), ("GEM-DOC", ["gemcitabine", "docetaxel"])),
        new("9120/3", 0.04, ["scalp", "breast", "liver"], ("paclitaxel", ["paclitaxel"]), ("GEM-DOC", ["gemcitabine", "docetaxel"])),
    ];

    static readonly string[] Mtki = ["sorafenib", "regorafenib", "pazopanib", "cabozantinib", "lenvatinib"];
    static readonly string[] Toxicities =
    [
        "Febrile neutropenia", "Nausea", "Mucositis oral", "Palmar-plantar erythrodysesthesia syndrome", "Hypertension",
        "Diarrhoea", "Fatigue", "Alanine aminotransferase increased", "Pneumothorax", "Anaemia",
    ];

    readonly Random random = new(seed);
    readonly ArrayBufferWriter<byte> buffer = new(512);

    DateOnly latest;

    public int Facts { get; private set; }

    /// <summary>Writes <paramref name="patients"/> histories to <paramref name="output"/>, one fact per line.</summary>
    public async Task WriteAsync(Stream output, int patients, CancellationToken ct = default)
    {
        using var writer = new Utf8JsonWriter(buffer);
        for (var i = 1; i <= patients; i++)
        {
            Patient(writer, $"{idPrefix}{i.ToString("D6", CultureInfo.InvariantCulture)}");
            if (buffer.WrittenCount >= 64 * 1024 || i == patients)
            {
                await output.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }
        await output.FlushAsync(ct);
    }

    void Patient(Utf8JsonWriter w, string id)
    {
        var histology = Pick(Histologies, h => h.Weight);
        var diagnosis = FirstDiagnosis.AddDays(random.Next(LastDate.DayNumber - 365 - FirstDiagnosis.DayNumber));
        var born = diagnosis.AddDays(-(int)((2 + random.NextDouble() * 20) * 365.25));
        latest = DateOnly.MinValue;
        var sex = random.NextDouble() switch { < 0.48 => "female", < 0.96 => "male", < 0.98 => "other", _ => "unknown" };

        Fact(w, id, "enrolment", () => { w.WriteString("patientId", id); Date(w, "birthDate", born); w.WriteString("sex", sex); });
        Fact(w, id, "diagnosis", () =>
        {
            Date(w, "date", diagnosis);
            w.WriteString("histology", histology.Name);
            w.WriteString("primarySite", histology.Sites[random.Next(histology.Sites.Length)]);
            w.WriteBoolean("metastatic", random.NextDouble() < 0.25);
        });

        var lines = random.NextDouble() switch { < 0.30 => 1, < 0.65 => 2, < 0.85 => 3, _ => 4 };
        var day = diagnosis.AddDays(7 + random.Next(24));
        for (var line = 1; line <= lines; line++)
        {
            if (day > LastDate) return; // the history goes on after the data's end: nothing more is known
            var mtki = line switch { 1 => false, 2 => random.NextDouble() < 0.08, _ => random.NextDouble() < 0.6 };
            var (regimen, agents) = mtki ? Single(Mtki[random.Next(Mtki.Length)])
                : line == 1 ? histology.First : line == 2 ? histology.Second : ("CYCLO-TOPO", ["cyclophosphamide", "topotecan"]);
            var start = day;
            Fact(w, id, "treatment-line", () =>
            {
                w.WriteNumber("line", line);
                Date(w, "startDate", start);
                w.WriteString("regimen", regimen);
                w.WriteStartArray("agents");
                foreach (var agent in agents) w.WriteStringValue(agent);
                w.WriteEndArray();
            });

            var ends = start.AddDays(mtki ? 60 + random.Next(300) : 120 + random.Next(150));
            if (random.NextDouble() < 0.3)
            {
                var ae = start.AddDays(random.Next(Math.Max(1, ends.DayNumber - start.DayNumber)));
                if (ae <= LastDate)
                    Fact(w, id, "adverse-event", () =>
                    {
                        Date(w, "date", ae);
                        w.WriteNumber("line", line);
                        w.WriteString("term", Toxicities[random.Next(Toxicities.Length)]);
                        w.WriteNumber("grade", 1 + random.Next(4));
                    });
            }
            var assessments = random.Next(3);
            var progresses = line > 1 || random.NextDouble() < 0.6;
            for (var a = 1; a <= assessments; a++)
            {
                var at = start.AddDays((ends.DayNumber - start.DayNumber) * a / (assessments + 1));
                if (at > LastDate) break;
                var category = random.NextDouble() switch { < 0.08 => "CR", < 0.30 => "PR", < 0.80 => "SD", < 0.95 => "PD", _ => "NE" };
                Fact(w, id, "response", () => { Date(w, "date", at); w.WriteNumber("line", line); w.WriteString("category", category); });
            }
            if (ends > LastDate)
            {
                FollowUp(w, id, LastDate.AddDays(-random.Next(90)), day);
                return;
            }
            var last = line == lines;
            if (progresses)
            {
                Fact(w, id, "progression", () => Date(w, "date", ends));
                Fact(w, id, "treatment-line-end", () => { w.WriteNumber("line", line); Date(w, "date", ends); w.WriteString("reason", "progression"); });
                day = ends.AddDays(10 + random.Next(50));
            }
            else
            {
                Fact(w, id, "treatment-line-end", () => { w.WriteNumber("line", line); Date(w, "date", ends); w.WriteString("reason", "completed"); });
                var relapse = ends.AddDays(90 + random.Next(900));
                if (!last && relapse <= LastDate)
                    Fact(w, id, "relapse", () => Date(w, "date", relapse));
                day = relapse.AddDays(10 + random.Next(30));
            }
            if (last)
            {
                var outcome = ends.AddDays(30 + random.Next(500));
                if (outcome <= LastDate && (progresses ? random.NextDouble() < 0.7 : random.NextDouble() < 0.15))
                {
                    var cause = random.NextDouble() switch { < 0.85 => "disease", < 0.92 => "treatment", < 0.97 => "other", _ => "unknown" };
                    Fact(w, id, "death", () => { Date(w, "date", outcome); w.WriteString("cause", cause); });
                }
                else FollowUp(w, id, outcome > LastDate ? LastDate : outcome, ends);
            }
        }
    }

    void FollowUp(Utf8JsonWriter w, string id, DateOnly date, DateOnly notBefore)
    {
        if (date < notBefore) date = notBefore;
        if (date < latest) date = latest; // last known alive: not before anything already known
        if (date <= LastDate) Fact(w, id, "follow-up", () => Date(w, "date", date));
    }

    static (string, string[]) Single(params string[] agents) => (agents[0], agents);

    void Fact(Utf8JsonWriter w, string id, string type, Action body)
    {
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("patientId", id);
        w.WriteString("type", type);
        w.WriteBoolean("synthetic", true);
        w.WriteStartObject("body");
        body();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        buffer.Write("\n"u8);
        Facts++;
    }

    void Date(Utf8JsonWriter w, string name, DateOnly date)
    {
        if (date > latest) latest = date;
        w.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    T Pick<T>(IReadOnlyList<T> items, Func<T, double> weight)
    {
        var x = random.NextDouble() * items.Sum(weight);
        foreach (var item in items)
        {
            x -= weight(item);
            if (x < 0) return item;
        }
        return items[^1];
    }
}
