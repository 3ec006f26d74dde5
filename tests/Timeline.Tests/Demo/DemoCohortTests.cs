using System.Globalization;
using System.Text.Json;
using Timeline.Demo;
using Timeline.Hosting;
using Timeline.Projections.Analysis;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Recording;

namespace Timeline.Tests.Demo;

/// <summary>
/// The SYNTHETIC demonstration cohort reproduces the reference study's abstract. Every figure is derived
/// here from <see cref="DemoCohort.Facts"/> with DOMAIN.md's definitions ("Derived quantities"), written
/// out in the test itself so that it does not lean on the projections it is meant to check; only the
/// statistics module (KM, log-rank, median) is shared.
/// </summary>
public class DemoCohortTests
{
    private static readonly string[] MtkiCatalogue =
        ["sorafenib", "regorafenib", "pazopanib", "cabozantinib", "lenvatinib", "apatinib", "anlotinib", "sunitinib"];

    private static readonly DateOnly Horizon = new(2025, 6, 30);

    private static readonly IReadOnlyList<Patient> Cohort = Parse(DemoCohort.Facts);

    [Fact]
    public void The_cohort_says_it_is_synthetic()
    {
        DemoCohort.Label.ShouldBe("SYNTHETIC demonstration cohort — not patient data");
    }

    [Fact]
    public void Patient_ids_are_unique_and_each_history_is_contiguous()
    {
        var runs = new List<string>();
        foreach (var fact in DemoCohort.Facts)
        {
            if (runs.Count == 0 || runs[^1] != fact.PatientId)
            {
                runs.Add(fact.PatientId);
            }
        }

        runs.ShouldBeUnique();
        runs.Count.ShouldBe(32);
        DemoCohort.Facts.Count(f => f.Type == "enrolment").ShouldBe(32);
        runs.ShouldAllBe(id => id.StartsWith("DEMO-", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_history_obeys_the_recording_rules_of_the_domain()
    {
        foreach (var patient in Cohort)
        {
            var facts = patient.Facts;
            facts[0].Type.ShouldBe("enrolment", patient.Id);
            facts[1].Type.ShouldBe("diagnosis", patient.Id);
            facts.Count(f => f.Type == "diagnosis").ShouldBe(1, patient.Id);
            facts.Count(f => f.Type == "death").ShouldBeLessThanOrEqualTo(1, patient.Id);

            var started = new Dictionary<int, DateOnly>();
            var ended = new HashSet<int>();
            foreach (var fact in facts.Skip(1))
            {
                fact.Date.ShouldBeGreaterThanOrEqualTo(patient.Diagnosis, $"{patient.Id} {fact.Type}");
                fact.Date.ShouldBeLessThan(Horizon, $"{patient.Id} {fact.Type}");
                if (patient.Death is { } death)
                {
                    fact.Date.ShouldBeLessThanOrEqualTo(death, $"{patient.Id} {fact.Type}");
                }

                switch (fact.Type)
                {
                    case "treatment-line":
                        var line = fact.Body.GetProperty("line").GetInt32();
                        started.ShouldNotContainKey(line, patient.Id);
                        if (line > 1)
                        {
                            started.ShouldContainKey(line - 1, patient.Id);
                            fact.Date.ShouldBeGreaterThanOrEqualTo(started[line - 1], patient.Id);
                        }

                        started[line] = fact.Date;
                        break;
                    case "treatment-line-end":
                        var endedLine = fact.Body.GetProperty("line").GetInt32();
                        started.ShouldContainKey(endedLine, patient.Id);
                        ended.Add(endedLine).ShouldBeTrue(patient.Id);
                        fact.Date.ShouldBeGreaterThanOrEqualTo(started[endedLine], patient.Id);
                        break;
                    case "response" or "adverse-event":
                        var named = fact.Body.GetProperty("line").GetInt32();
                        started.ShouldContainKey(named, patient.Id);
                        fact.Date.ShouldBeGreaterThanOrEqualTo(started[named], patient.Id);
                        break;
                }
            }

            patient.Diagnosis.ShouldBeGreaterThan(patient.Birth, patient.Id);
        }
    }

    [Fact]
    public void Every_fact_would_be_accepted_by_the_recording_routes()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        TimelineServices.ConfigureJson(json);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        foreach (var patient in Cohort)
        {
            var chart = new PatientChart { Id = patient.Id };
            foreach (var fact in patient.Facts)
            {
                var errors = new FieldErrors();
                var request = (IFactRequest)fact.Body.Deserialize(RequestType(fact.Type), json)!;
                var clinical = request.ToFact(errors);
                errors.Any.ShouldBeFalse($"{patient.Id} {fact.Type}: {string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value))}");
                if (fact.Type != "enrolment")
                {
                    ClinicalRules.CheckRecording(chart, clinical, today).ShouldBeNull($"{patient.Id} {fact.Type} {fact.Date}");
                }

                chart.Apply(Guid.NewGuid(), chart.Version + 1, chart.Version + 1, clinical);
            }
        }
    }

    [Fact]
    public void Eighteen_mtki_patients_by_histology_and_drug()
    {
        var mtki = Cohort.Where(p => p.FirstMtkiLine is not null).ToList();

        mtki.Count.ShouldBe(18);
        mtki.CountBy(p => p.Histology).ToDictionary().ShouldBe(new Dictionary<string, int>
        {
            ["osteosarcoma"] = 13,
            ["synovial sarcoma"] = 3,
            ["chondrosarcoma"] = 1,
            ["rhabdomyosarcoma"] = 1,
        }, ignoreOrder: true);
        mtki.CountBy(p => p.FirstMtkiLine!.Agents.Single()).ToDictionary().ShouldBe(new Dictionary<string, int>
        {
            ["sorafenib"] = 7,
            ["regorafenib"] = 6,
            ["pazopanib"] = 5,
        }, ignoreOrder: true);
    }

    [Fact]
    public void Median_age_at_first_mtki_start_is_16_5_years()
    {
        var ages = Cohort.Where(p => p.FirstMtkiLine is not null)
            .Select(p => (double)CompletedYears(p.Birth, p.FirstMtkiLine!.Start))
            .ToList();

        ages.Count.ShouldBe(18);
        Descriptive.Median(ages).ShouldBe(16.5);
        var sorted = ages.Order().ToList();
        (sorted[8], sorted[9]).ShouldBe((16.0, 17.0));
        ages.ShouldAllBe(age => age >= 8 && age <= 25);
        (Descriptive.Min(ages), Descriptive.Max(ages)).ShouldBe((9.0, 24.0));
    }

    [Fact]
    public void Median_time_to_progression_is_4_months()
    {
        var ttp = Cohort.Where(p => p.FirstMtkiLine is not null).Select(TimeToProgression).ToList();

        ttp.Count.ShouldBe(18);
        ttp.Count(o => !o.Event).ShouldBe(4);
        var inMonths = ttp.Select(o => new SurvivalObservation(TimeUnits.FromDays(o.Time, TimeUnit.Months), o.Event)).ToList();
        var median = KaplanMeier.Median(KaplanMeier.Estimate(inMonths)).Time;

        median.ShouldNotBeNull();
        median.Value.ShouldBeInRange(3.95, 4.05);
        KaplanMeier.Median(KaplanMeier.Estimate(ttp)).Time.ShouldBe(122);
    }

    [Fact]
    public void Three_of_eighteen_respond_on_the_first_mtki_line()
    {
        var best = Cohort.Where(p => p.FirstMtkiLine is not null).ToDictionary(p => p.Id, BestOverallResponse);

        best.Count.ShouldBe(18);
        best.Values.Count(c => c is "CR" or "PR").ShouldBe(3);
        best.Values.CountBy(c => c).ToDictionary().ShouldBe(new Dictionary<string, int>
        {
            ["PR"] = 3,
            ["SD"] = 11,
            ["PD"] = 2,
            ["NE"] = 2,
        }, ignoreOrder: true);
        best["DEMO-RMS-01"].ShouldBe("NE");  // only an SD on day 35
        best["DEMO-SS-03"].ShouldBe("NE");   // never assessed
        best["DEMO-OS-01"].ShouldBe("PD");   // SD on day 28 does not count, then PD
        best["DEMO-CS-01"].ShouldBe("SD");   // SD on day 42 counts
    }

    [Fact]
    public void Osteosarcoma_survival_after_the_second_line_anchor_differs_with_chi_square_8_13()
    {
        var osteo = Cohort.Where(p => p.Histology == "osteosarcoma").ToList();
        var mtki = new List<SurvivalObservation>();
        var control = new List<SurvivalObservation>();
        var excluded = new List<string>();
        foreach (var patient in osteo)
        {
            if (Anchor(patient) is not { } anchor)
            {
                excluded.Add(patient.Id);
                continue;
            }

            var group = patient.FirstMtkiLine is not { } first ? control : first.Start >= anchor ? mtki : null;
            if (group is null)
            {
                excluded.Add(patient.Id);
                continue;
            }

            group.Add(patient.Death is { } death
                ? new SurvivalObservation(Days(anchor, death), true)
                : new SurvivalObservation(Days(anchor, patient.LastContact), false));
        }

        (mtki.Count, control.Count).ShouldBe((13, 12));
        excluded.ShouldBe(["DEMO-EXCL-01", "DEMO-EXCL-02"], ignoreOrder: true);
        mtki.Count(o => !o.Event).ShouldBe(3);
        control.Count(o => !o.Event).ShouldBe(2);

        var test = LogRank.Test([mtki, control]);

        test.Df.ShouldBe(1);
        Math.Round(test.ChiSquare, 2).ShouldBe(8.13);
        Math.Round(test.P, 3).ShouldBe(0.004);
        test.Observed.ShouldBe([10.0, 10.0]);
        KaplanMeier.Median(KaplanMeier.Estimate(mtki)).Time.ShouldNotBeNull().ShouldBeGreaterThan(
            KaplanMeier.Median(KaplanMeier.Estimate(control)).Time.ShouldNotBeNull());
    }

    // --- DOMAIN.md's derived quantities, written out independently of the projections ---

    /// <summary>The earliest progression or relapse dated on or after the start of line 2.</summary>
    private static DateOnly? Anchor(Patient patient)
    {
        if (patient.Lines.FirstOrDefault(l => l.Number == 2) is not { } second)
        {
            return null;
        }

        var events = patient.Progressions.Concat(patient.Relapses).Where(d => d >= second.Start).Order().ToList();
        return events.Count == 0 ? null : events[0];
    }

    /// <summary>From the first mTKI start to the first progression after it; death without one censors there, else last contact.</summary>
    private static SurvivalObservation TimeToProgression(Patient patient)
    {
        var start = patient.FirstMtkiLine!.Start;
        var progressions = patient.Progressions.Where(d => d > start).Order().ToList();
        if (progressions.Count > 0)
        {
            return new SurvivalObservation(Days(start, progressions[0]), true);
        }

        return new SurvivalObservation(Days(start, patient.Death ?? patient.LastContact), false);
    }

    /// <summary>Best of CR &gt; PR &gt; SD &gt; PD up to and including the first PD; SD before day 42 is NE; none is NE.</summary>
    private static string BestOverallResponse(Patient patient)
    {
        var line = patient.FirstMtkiLine!;
        string[] rank = ["NE", "PD", "SD", "PR", "CR"];
        var best = "NE";
        foreach (var (date, category) in patient.Responses.Where(r => r.Line == line.Number).OrderBy(r => r.Date).Select(r => (r.Date, r.Category)))
        {
            var counted = category == "SD" && Days(line.Start, date) < 42 ? "NE" : category;
            if (Array.IndexOf(rank, counted) > Array.IndexOf(rank, best))
            {
                best = counted;
            }

            if (category == "PD")
            {
                break;
            }
        }

        return best;
    }

    private static int CompletedYears(DateOnly birth, DateOnly on)
    {
        var years = on.Year - birth.Year;
        return on < birth.AddYears(years) ? years - 1 : years;
    }

    private static double Days(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    private static Type RequestType(string type) => type switch
    {
        "enrolment" => typeof(EnrolPatient),
        "diagnosis" => typeof(RecordDiagnosis),
        "treatment-line" => typeof(StartTreatmentLine),
        "treatment-line-end" => typeof(EndTreatmentLine),
        "response" => typeof(AssessResponse),
        "progression" => typeof(RecordProgression),
        "relapse" => typeof(RecordRelapse),
        "adverse-event" => typeof(RecordAdverseEvent),
        "follow-up" => typeof(RecordFollowUp),
        "death" => typeof(RecordDeath),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown fact type."),
    };

    // --- Reading the anonymous bodies back, as a client's JSON ---

    private sealed record ParsedFact(string Type, DateOnly Date, JsonElement Body);

    private sealed record Line(int Number, DateOnly Start, IReadOnlyList<string> Agents);

    private sealed record Response(DateOnly Date, int Line, string Category);

    private sealed record Patient(string Id, IReadOnlyList<ParsedFact> Facts)
    {
        public DateOnly Birth => Facts.Single(f => f.Type == "enrolment").Date;

        public DateOnly Diagnosis => Facts.Single(f => f.Type == "diagnosis").Date;

        public string Histology => Facts.Single(f => f.Type == "diagnosis").Body.GetProperty("histology").GetString()!;

        public IReadOnlyList<Line> Lines => [.. Facts.Where(f => f.Type == "treatment-line").Select(f => new Line(
            f.Body.GetProperty("line").GetInt32(),
            f.Date,
            [.. f.Body.GetProperty("agents").EnumerateArray().Select(a => a.GetString()!)]))];

        public Line? FirstMtkiLine => Lines
            .Where(l => l.Agents.Any(a => MtkiCatalogue.Contains(a, StringComparer.OrdinalIgnoreCase)))
            .OrderBy(l => l.Start)
            .FirstOrDefault();

        public IReadOnlyList<Response> Responses => [.. Facts.Where(f => f.Type == "response").Select(f => new Response(
            f.Date, f.Body.GetProperty("line").GetInt32(), f.Body.GetProperty("category").GetString()!))];

        public IEnumerable<DateOnly> Progressions => Facts.Where(f => f.Type == "progression").Select(f => f.Date);

        public IEnumerable<DateOnly> Relapses => Facts.Where(f => f.Type == "relapse").Select(f => f.Date);

        public DateOnly? Death => Facts.Where(f => f.Type == "death").Select(f => (DateOnly?)f.Date).SingleOrDefault();

        /// <summary>The latest clinical date of any fact (everything but the enrolment's birth date).</summary>
        public DateOnly LastContact => Facts.Where(f => f.Type != "enrolment").Max(f => f.Date);
    }

    private static List<Patient> Parse(IReadOnlyList<DemoFact> facts) =>
        [.. facts.GroupBy(f => f.PatientId).Select(g => new Patient(g.Key, [.. g.Select(f =>
        {
            var body = JsonSerializer.SerializeToElement(f.Body);
            var dateField = f.Type switch { "enrolment" => "birthDate", "treatment-line" => "startDate", _ => "date" };
            var date = DateOnly.ParseExact(body.GetProperty(dateField).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new ParsedFact(f.Type, date, body);
        })]))];
}
