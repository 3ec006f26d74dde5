using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Timeline.Exchange.Fhir;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Exports;

/// <summary>
/// The FHIR R4 export over the SYNTHETIC export cohort (a correction and a retraction): every resource of the patient
/// bundles and of the bulk NDJSON validates against the base R4 specification with no error, the values are the
/// timeline's, each resource names its source event, and the bytes depend on the events alone.
/// </summary>
public sealed class FhirExportTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;
    static readonly string[] CohortIds = ["SYN-EXP-01", "SYN-EXP-02", "SYN-EXP-03", "SYN-EXP-04"];

    ExportCohort Cohort => new(Host, Api, users.Analyst);

    async Task<(byte[] Bytes, Bundle Bundle)> BundleAsync(ExportCohort cohort, string patientId, string query = "")
    {
        var (status, body, type) = await cohort.DownloadAsync($"/api/exports/fhir/patients/{patientId}{query}", users.Recorder);
        status.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        type.ShouldBe(FhirJson.MediaType);
        return (body, (Bundle)FhirValidation.Parse(Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public async Task Every_exported_resource_validates_against_the_base_r4_specification_with_no_error()
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        await cohort.CorrectAsync();

        var errors = new List<string>();
        var bundled = new List<Resource>();
        foreach (var id in CohortIds)
        {
            var (bytes, bundle) = await BundleAsync(cohort, id);
            if (id == "SYN-EXP-01") output.WriteLine(Encoding.UTF8.GetString(bytes));
            bundle.Type.ShouldBe(Bundle.BundleType.Collection);
            errors.AddRange(FhirValidation.Errors(bundle));
            foreach (var entry in bundle.Entry)
            {
                entry.Resource.ShouldNotBeNull();
                errors.AddRange(FhirValidation.Errors(entry.Resource));
                bundled.Add(entry.Resource);
            }
        }
        errors.ShouldBeEmpty(string.Join("\n", errors));

        var files = (await cohort.EntriesAsync("/api/exports/fhir")).ToDictionary(e => e.Name, e => e.Bytes);
        files.Keys.ShouldBe(["Patient.ndjson", "Condition.ndjson", "MedicationAdministration.ndjson", "Observation.ndjson", "AdverseEvent.ndjson", "manifest.json"]);
        var bulk = new List<Resource>();
        foreach (var type in FhirBulkExport.ResourceTypes)
        {
            var text = Encoding.UTF8.GetString(files[$"{type}.ndjson"]);
            text.ShouldEndWith("\n");
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var resource = FhirValidation.Parse(line);
                resource.TypeName.ShouldBe(type); // one resource type per file, as Bulk Data writes them
                errors.AddRange(FhirValidation.Errors(resource));
                bulk.Add(resource);
            }
        }
        errors.ShouldBeEmpty(string.Join("\n", errors));
        // The bulk export holds the same resources as the bundles of the same patients.
        bulk.Select(r => $"{r.TypeName}/{r.Id}").Order().ShouldBe(bundled.Select(r => $"{r.TypeName}/{r.Id}").Order());
    }

    [Fact]
    public async Task The_validator_used_here_reports_the_errors_of_a_broken_resource()
    {
        // Guards the test above against passing silently: the same validator, on exported resources made invalid.
        var cohort = Cohort;
        await cohort.RecordAsync();
        var (_, bundle) = await BundleAsync(cohort, "SYN-EXP-01");
        var observation = bundle.Entry.Select(e => e.Resource).OfType<Observation>().First();
        FhirValidation.Errors(observation).ShouldBeEmpty();
        observation.Status = null; // Observation.status is 1..1 in base R4
        FhirValidation.Errors(observation).ShouldNotBeEmpty();

        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Extension.Add(new Extension { Url = FhirTerms.DeathCauseExtension }); // ext-1: an extension has a value or extensions
        FhirValidation.Errors(patient).ShouldNotBeEmpty();
    }

    /// <summary>What a bundle says, read back element by element, to compare with the timeline.</summary>
    static List<string> Said(Bundle bundle)
    {
        static string Ids(IEnumerable<Identifier> ids) => string.Join("+", ids.Where(i => i.System == FhirTerms.EventIdSystem).Select(i => i.Value));
        static string? Ext(DomainResource r, string url) => r.Extension.FirstOrDefault(e => e.Url == url)?.Value switch
        {
            PositiveInt p => p.Value?.ToString(CultureInfo.InvariantCulture),
            Code c => c.Value,
            FhirString t => t.Value,
            FhirBoolean b => b.Value?.ToString(),
            CodeableConcept c => c.Coding[0].Code,
            _ => null,
        };
        static string? Coded(CodeableConcept? c, string system) => c?.Coding.FirstOrDefault(x => x.System == system)?.Code;
        var said = new List<string>();
        foreach (var resource in bundle.Entry.Select(e => e.Resource!))
        {
            said.Add(resource switch
            {
                Patient p => $"patient {p.BirthDate} {p.Gender?.ToString().ToLowerInvariant()} died {(p.Deceased as FhirDateTime)?.Value} {Ext(p, FhirTerms.DeathCauseExtension)}",
                Condition c => $"diagnosis {Ids(c.Identifier)} {(c.Onset as FhirDateTime)?.Value} {Coded(c.Code, FhirTerms.IcdO3System)} {Ext(c, FhirTerms.HistologyMorphologyBehaviorExtension)} {c.BodySite.FirstOrDefault()?.Text}",
                MedicationAdministration m => $"line {Ext(m, FhirTerms.TreatmentLineExtension)} {Ids(m.Identifier)} {(m.Medication as CodeableConcept)?.Text} {(m.Effective as Period)?.Start}..{(m.Effective as Period)?.End} {Coded(m.StatusReason.FirstOrDefault(), FhirTerms.LineEndReasonSystem)} {Ext(m, FhirTerms.RegimenExtension)}",
                Observation o when Coded(o.Code, FhirTerms.LoincSystem) == FhirTerms.VitalStatusLoinc =>
                    $"alive {Ids(o.Identifier)} {(o.Effective as FhirDateTime)?.Value} {Coded(o.Value as CodeableConcept, FhirTerms.SnomedSystem)}",
                Observation o when Coded(o.Value as CodeableConcept, FhirTerms.RecistSystem) is { } recist =>
                    $"response {Ids(o.Identifier)} {(o.Effective as FhirDateTime)?.Value} line {Ext(o, FhirTerms.TreatmentLineExtension)} {recist} {Coded(o.Value as CodeableConcept, FhirTerms.SnomedSystem)} {Coded(o.Code, FhirTerms.LoincSystem)}",
                Observation o => $"{Coded(o.Value as CodeableConcept, FhirTerms.DiseaseEventSystem)} {Ids(o.Identifier)} {(o.Effective as FhirDateTime)?.Value} {Coded(o.Value as CodeableConcept, FhirTerms.SnomedSystem)} {Coded(o.Code, FhirTerms.LoincSystem)}",
                AdverseEvent a => $"ae {a.Identifier?.Value} {a.Date} line {Ext(a, FhirTerms.TreatmentLineExtension)} {a.Event?.Text} grade {Ext(a, FhirTerms.CtcaeGradeExtension)}",
                _ => $"unexpected {resource.TypeName}",
            });
        }
        return said;
    }

    /// <summary>The same statements built from the timeline route's answer (the trend codes are the mapping's, written out here from mCODE's value set).</summary>
    static List<string> Expected(JsonElement t)
    {
        static string? S(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
        var trend = new Dictionary<string, string> { ["CR"] = "268910001", ["PR"] = "268910001", ["SD"] = "359746009", ["PD"] = "271299001", ["NE"] = "709137006" };
        var death = t.GetProperty("death");
        var demographics = t.GetProperty("demographics");
        var expected = new List<string>
        {
            $"patient {S(demographics, "birthDate")} {S(demographics, "sex")} died {(death.ValueKind == JsonValueKind.Null ? null : S(death, "date"))} {(death.ValueKind == JsonValueKind.Null ? null : S(death, "cause"))}",
        };
        if (t.GetProperty("diagnosis") is { ValueKind: JsonValueKind.Object } d)
            expected.Add($"diagnosis {S(d, "eventId")} {S(d, "date")} {S(d, "histology")} {S(d, "histology")} {S(d, "primarySite")}");
        foreach (var line in t.GetProperty("treatmentLines").EnumerateArray())
        {
            var ids = S(line, "eventId") + (S(line, "endEventId") is { } end ? "+" + end : "");
            foreach (var agent in line.GetProperty("agents").EnumerateArray())
                expected.Add($"line {S(line, "line")} {ids} {agent.GetString()} {S(line, "startDate")}..{S(line, "endDate")} {S(line, "endReason")} {S(line, "regimen")}");
            foreach (var r in line.GetProperty("responses").EnumerateArray())
                expected.Add($"response {S(r, "eventId")} {S(r, "date")} line {S(line, "line")} {S(r, "category")} {trend[S(r, "category")!]} 97509-4");
        }
        foreach (var (kind, list) in new[] { ("progression", "progressions"), ("relapse", "relapses") })
            foreach (var e in t.GetProperty(list).EnumerateArray())
                expected.Add($"{kind} {S(e, "eventId")} {S(e, "date")} 271299001 97509-4");
        foreach (var f in t.GetProperty("followUps").EnumerateArray())
            expected.Add($"alive {S(f, "eventId")} {S(f, "date")} 438949009");
        foreach (var ae in t.GetProperty("adverseEvents").EnumerateArray())
            expected.Add($"ae {S(ae, "eventId")} {S(ae, "date")} line {S(ae, "line")} {S(ae, "term")} grade {S(ae, "grade")}");
        return expected;
    }

    [Fact]
    public async Task The_bundle_says_what_the_timeline_says_as_corrected_and_names_each_source_event()
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        await cohort.CorrectAsync();
        var retracted = (await Api.Get("/api/patients/SYN-EXP-02/history")).ShouldHave(HttpStatusCode.OK).Json.EnumerateArray()
            .Single(e => e.GetProperty("status").GetString() == "retracted").GetProperty("eventId").GetString()!;
        foreach (var id in CohortIds)
        {
            var (bytes, bundle) = await BundleAsync(cohort, id);
            var timeline = (await Api.Get($"/api/patients/{id}/timeline")).ShouldHave(HttpStatusCode.OK).Json;
            Said(bundle).Order().ShouldBe(Expected(timeline).Order(), id);

            // Every resource names an event of this patient's stream, in an identifier and in meta.source.
            var events = (await Api.Get($"/api/patients/{id}/history")).ShouldHave(HttpStatusCode.OK).Json.EnumerateArray()
                .Select(e => e.GetProperty("eventId").GetString()).ToHashSet();
            foreach (var resource in bundle.Entry.Select(e => e.Resource!))
            {
                resource.Meta!.Source!.ShouldStartWith("urn:uuid:");
                events.ShouldContain(resource.Meta!.Source!["urn:uuid:".Length..]);
                var named = (resource switch
                {
                    AdverseEvent a => [a.Identifier!],
                    _ => (IEnumerable<Identifier>)resource.GetType().GetProperty("Identifier")!.GetValue(resource)!,
                }).Where(i => i.System == FhirTerms.EventIdSystem).Select(i => i.Value).ToList();
                named.ShouldContain(resource.Meta!.Source!["urn:uuid:".Length..]);
                named.ShouldAllBe(e => events.Contains(e));
            }
            Encoding.UTF8.GetString(bytes).ShouldNotContain(retracted);
        }

        // The values as the cohort recorded them: the corrected progression, the death, sorafenib on line 3, the AE's grade.
        var (_, first) = await BundleAsync(cohort, "SYN-EXP-01");
        var said = Said(first);
        said.ShouldContain(s => s.StartsWith("progression ", StringComparison.Ordinal) && s.Contains(" 2020-10-11 ", StringComparison.Ordinal));
        said.ShouldNotContain(s => s.Contains(" 2020-11-01 271299001", StringComparison.Ordinal)); // the progression as first recorded
        said[0].ShouldBe("patient 2006-04-12 female died 2021-09-10 disease");
        said.ShouldContain(s => s.StartsWith("line 3 ", StringComparison.Ordinal) && s.Contains(" sorafenib 2020-11-20.. ", StringComparison.Ordinal));
        said.ShouldContain(s => s.StartsWith("ae ", StringComparison.Ordinal) && s.EndsWith("line 3 Palmar-plantar erythrodysesthesia syndrome grade 2", StringComparison.Ordinal));
        var sorafenib = first.Entry.Select(e => e.Resource).OfType<MedicationAdministration>().Single(m => (m.Medication as CodeableConcept)?.Text == "sorafenib");
        ((CodeableConcept)sorafenib.Medication!).Coding.ShouldContain(c => c.System == FhirTerms.RxNormSystem && c.Code == "495881");
        var (_, second) = await BundleAsync(cohort, "SYN-EXP-02");
        Said(second).Where(s => s.StartsWith("response ", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldContain(" SD 359746009 ");
    }

    [Fact]
    public async Task The_same_events_give_the_same_bundle_and_as_of_before_a_correction_the_bundle_made_then()
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        var (before, _) = await BundleAsync(cohort, "SYN-EXP-01");
        var (again, _) = await BundleAsync(cohort, "SYN-EXP-01");
        again.ShouldBe(before);
        var asOf = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await cohort.CorrectAsync();
        var (then, bundle) = await BundleAsync(cohort, "SYN-EXP-01", $"?asOf={Uri.EscapeDataString(asOf.ToString("O", CultureInfo.InvariantCulture))}");
        then.ShouldBe(before, "the bundle as of before the correction is byte for byte the bundle made then");
        bundle.Timestamp!.Value.ShouldBeLessThanOrEqualTo(asOf); // the recorded time of the data, never the clock
        var (now, _) = await BundleAsync(cohort, "SYN-EXP-01");
        now.SequenceEqual(before).ShouldBeFalse("the correction changes the bundle made now");
    }

    [Fact]
    public async Task The_bulk_export_takes_a_histology_and_holds_only_its_patients()
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        foreach (var histology in new[] { "synovial-sarcoma", "9040/3" })
        {
            var files = (await cohort.EntriesAsync($"/api/exports/fhir?histology={Uri.EscapeDataString(histology)}")).ToDictionary(e => e.Name, e => e.Bytes);
            var patients = Encoding.UTF8.GetString(files["Patient.ndjson"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => (Patient)FhirValidation.Parse(l)).ToList();
            patients.Select(p => p.Identifier.Single(i => i.System == FhirTerms.PatientIdSystem).Value).ShouldBe(["SYN-EXP-03"]);
            var conditions = Encoding.UTF8.GetString(files["Condition.ndjson"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => (Condition)FhirValidation.Parse(l)).ToList();
            conditions.ShouldHaveSingleItem().Code!.Coding.ShouldContain(c => c.System == FhirTerms.IcdO3System && c.Code == "9040/3");
            var manifest = JsonDocument.Parse(files["manifest.json"]).RootElement;
            manifest.GetProperty("export").GetString().ShouldBe("fhir");
            manifest.GetProperty("parameters").GetProperty("histologyCode").GetString().ShouldBe("9040/3");
        }
        var all = (await cohort.EntriesAsync("/api/exports/fhir")).Single(e => e.Name == "Patient.ndjson").Bytes;
        Encoding.UTF8.GetString(all).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4);
    }

    [Fact]
    public async Task Bad_parameters_and_unknown_patients_are_problems()
    {
        var cohort = Cohort;
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture);
        await Api.WithEnrolledPatient("SYN-FHIR-01");
        (await Api.Get("/api/exports/fhir/patients/SYN-NOBODY")).ShouldHave(HttpStatusCode.NotFound).ContentType.ShouldBe("application/problem+json");
        var query = (await Api.Post("/api/patients/SYN-FHIR-01/queries", new { text = "Is the birth date right?" })).ShouldHave(HttpStatusCode.Created).Json;
        // A data query's stream ("Q-<guid>") is no patient.
        (await Api.Get($"/api/exports/fhir/patients/{query.GetProperty("queryId").GetString()}")).ShouldHave(HttpStatusCode.NotFound);
        (await Api.Get("/api/exports/fhir/patients/SYN-FHIR-01?asOf=yesterday")).ShouldBeProblem(HttpStatusCode.BadRequest, "asOf");
        (await Api.Get($"/api/exports/fhir/patients/SYN-FHIR-01?asOf={Uri.EscapeDataString(before)}"))
            .ShouldHave(HttpStatusCode.NotFound).ContentType.ShouldBe("application/problem+json");
        (await Api.Get("/api/exports/fhir?asOf=2026-01-31")).ShouldBeProblem(HttpStatusCode.BadRequest, "asOf");
        (await Api.Get("/api/exports/fhir?histology=not-a-histology")).ShouldBeProblem(HttpStatusCode.BadRequest, "histology");
        var (status, _, _) = await cohort.DownloadAsync("/api/exports/fhir/patients/SYN-FHIR-01");
        status.ShouldBe(HttpStatusCode.Forbidden); // the analyst reads no patient's record
    }

    [Theory]
    [InlineData(Timeline.Access.Role.Recorder, true, false)]
    [InlineData(Timeline.Access.Role.Auditor, true, false)]
    [InlineData(Timeline.Access.Role.Investigator, true, false)]
    [InlineData(Timeline.Access.Role.Analyst, false, true)]
    [InlineData(Timeline.Access.Role.Admin, true, true)]
    public async Task The_bundle_is_for_who_reads_the_timeline_and_the_bulk_export_for_analysts(Timeline.Access.Role role, bool bundle, bool bulk)
    {
        var cohort = Cohort;
        await Api.WithEnrolledPatient("SYN-FHIR-02");
        var token = users.TokenOf(role);
        var timeline = (await cohort.DownloadAsync("/api/patients/SYN-FHIR-02/timeline", token)).Status;
        (await cohort.DownloadAsync("/api/exports/fhir/patients/SYN-FHIR-02", token)).Status.ShouldBe(bundle ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
        timeline.ShouldBe(bundle ? HttpStatusCode.OK : HttpStatusCode.Forbidden); // the same readers as the timeline
        (await cohort.DownloadAsync("/api/exports/fhir", token)).Status.ShouldBe(bulk ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
    }
}
