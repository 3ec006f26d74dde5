using System.Globalization;
using Hl7.Fhir.Model;
using Timeline.Projections.Events;
using Timeline.Recording;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// Turns a one-patient Bundle (as <c>GET /api/exports/fhir/patients/{id}</c> answers, described by
/// <see cref="FhirTerms"/>) into the patient id and the facts the recording routes would record, each passed
/// through that route's own field checks (the request record's <c>ToFact</c>). The facts come out in an order the
/// clinical rules accept for a valid history: enrolment, diagnosis, the line starts by line number, then the rest by
/// clinical date (line ends first on a day, the bundle's order otherwise), the death last. The rules themselves are
/// checked by the import, against the chart as it grows. Every problem found is returned, each naming its resource.
/// </summary>
public sealed class FhirBundleReader
{
    // Where each field of a route's body sits in the resource it is read from (a refusal names the FHIR element).
    static readonly Dictionary<string, string> PatientElements = new()
    {
        ["patientId"] = $"identifier ({FhirTerms.PatientIdSystem})", ["birthDate"] = "birthDate", ["sex"] = "gender",
    };
    static readonly Dictionary<string, string> DeathElements = new()
    {
        ["date"] = "deceasedDateTime", ["cause"] = $"extension ({FhirTerms.DeathCauseExtension})",
    };
    static readonly Dictionary<string, string> ConditionElements = new()
    {
        ["date"] = "onsetDateTime", ["histology"] = $"code ({FhirTerms.IcdO3System})", ["primarySite"] = "bodySite.text",
        ["metastatic"] = $"extension ({FhirTerms.MetastaticExtension})",
    };
    static readonly Dictionary<string, string> LineStartElements = new()
    {
        ["line"] = $"extension ({FhirTerms.TreatmentLineExtension})", ["startDate"] = "effectivePeriod.start",
        ["regimen"] = $"extension ({FhirTerms.RegimenExtension})", ["agents"] = "medicationCodeableConcept.text",
    };
    static readonly Dictionary<string, string> LineEndElements = new()
    {
        ["line"] = $"extension ({FhirTerms.TreatmentLineExtension})", ["date"] = "effectivePeriod.end",
        ["reason"] = $"statusReason ({FhirTerms.LineEndReasonSystem})",
    };
    static readonly Dictionary<string, string> ResponseElements = new()
    {
        ["date"] = "effectiveDateTime", ["line"] = $"extension ({FhirTerms.TreatmentLineExtension})",
        ["category"] = $"valueCodeableConcept ({FhirTerms.RecistSystem})",
    };
    static readonly Dictionary<string, string> DatedObservationElements = new() { ["date"] = "effectiveDateTime" };
    static readonly Dictionary<string, string> AdverseEventElements = new()
    {
        ["date"] = "date", ["line"] = $"extension ({FhirTerms.TreatmentLineExtension})", ["term"] = "event.text",
        ["grade"] = $"extension ({FhirTerms.CtcaeGradeExtension})",
    };

    readonly List<BundleRefusal> refusals = [];
    readonly List<BundleFact> facts = [];

    /// <summary>The bundle's facts in recording order, or null with <paramref name="problems"/> saying why not.</summary>
    public static ReadBundle? Read(Bundle bundle, out IReadOnlyList<BundleRefusal> problems)
    {
        var reader = new FhirBundleReader();
        var read = reader.ReadAll(bundle);
        problems = reader.refusals;
        return reader.refusals.Count == 0 ? read : null;
    }

    ReadBundle? ReadAll(Bundle bundle)
    {
        if (bundle.Type != Bundle.BundleType.Collection)
            Refuse("Bundle", "type", $"type must be collection (one patient's record), not {Describe(bundle.TypeElement?.JsonValue)}.");

        var entries = bundle.Entry.Select((e, i) => (Entry: e, Resource: new BundleResource(i, e.Resource?.TypeName ?? "(none)", e.Resource?.Id))).ToList();
        foreach (var (entry, at) in entries.Where(e => e.Entry.Resource is null))
            Refuse(at, "resource", "the entry holds no resource.");

        var patients = entries.Where(e => e.Entry.Resource is Patient).ToList();
        if (patients.Count != 1)
        {
            Refuse("Bundle", "entry", patients.Count == 0
                ? "the bundle holds no Patient: it must hold exactly one, the patient its facts are about."
                : $"the bundle holds {patients.Count} Patients ({string.Join(", ", patients.Select(p => p.Resource.Label))}): it must hold exactly one.");
            return null;
        }
        var (patientEntry, patientAt) = patients[0];
        var patient = (Patient)patientEntry.Resource!;
        var patientId = ReadPatient(patient, patientAt);
        // A resource about someone else must not land in this patient's record.
        var patientReferences = new HashSet<string>(StringComparer.Ordinal) { $"Patient/{patient.Id}" };
        if (!string.IsNullOrEmpty(patientEntry.FullUrl)) patientReferences.Add(patientEntry.FullUrl);

        var lines = new List<(MedicationAdministration Given, BundleResource At)>();
        foreach (var (entry, at) in entries)
        {
            switch (entry.Resource)
            {
                case null or Patient: break;
                case Condition condition: CheckSubject(condition.Subject, at, "subject", patientReferences); ReadCondition(condition, at); break;
                case MedicationAdministration given: CheckSubject(given.Subject, at, "subject", patientReferences); lines.Add((given, at)); break;
                case Observation observation: CheckSubject(observation.Subject, at, "subject", patientReferences); ReadObservation(observation, at); break;
                case AdverseEvent adverse: CheckSubject(adverse.Subject, at, "subject", patientReferences); ReadAdverseEvent(adverse, at); break;
                default:
                    Refuse(at, "resourceType", $"{at.Type} is not read by this import (Patient, Condition, MedicationAdministration, Observation and AdverseEvent are).");
                    break;
            }
        }
        ReadLines(lines);
        if (patientId is null || refusals.Count > 0) return null;
        return new ReadBundle(patientId, Order(facts));
    }

    /// <summary>
    /// Recording order: enrolment, diagnosis, line starts by number (a response or line end needs its line
    /// started before it), then by clinical date, a line's end before anything else of its day (as the routes
    /// would see them entered), the death last (nothing clinical may follow it). OrderBy is stable: ties keep the
    /// bundle's order, which the timeline keeps too.
    /// </summary>
    static List<BundleFact> Order(List<BundleFact> read) =>
        read.OrderBy(f => f.Fact switch
            {
                PatientEnrolled => 0,
                DiagnosisRecorded => 1,
                TreatmentLineStarted => 2,
                DeathRecorded => 4,
                _ => 3,
            })
            .ThenBy(f => f.Fact is TreatmentLineStarted s ? s.Line : 0)
            .ThenBy(f => f.Fact is TreatmentLineStarted or PatientEnrolled or DiagnosisRecorded ? DateOnly.MinValue : f.Fact.ClinicalDate)
            .ThenBy(f => f.Fact is TreatmentLineEnded ? 0 : 1)
            .ToList();

    string? ReadPatient(Patient patient, BundleResource at)
    {
        var ids = patient.Identifier.Where(i => i.System == FhirTerms.PatientIdSystem).ToList();
        string? patientId = null;
        if (ids.Count != 1 || string.IsNullOrEmpty(ids[0].Value))
            Refuse(at, PatientElements["patientId"], ids.Count > 1
                ? "the Patient has more than one patient id."
                : "the Patient has no patient id: an identifier with this system holds the study's pseudonymous id.");
        else if (!FieldErrors.PatientIdPattern().IsMatch(ids[0].Value!))
            Refuse(at, PatientElements["patientId"], "the patient id must be 1–64 letters, digits, '-' or '_', starting with a letter or digit.");
        else patientId = ids[0].Value;

        var errors = new FieldErrors();
        var birthDate = Date(patient.BirthDateElement?.Value, at, "birthDate");
        Sex? sex = patient.Gender switch
        {
            AdministrativeGender.Female => Sex.Female,
            AdministrativeGender.Male => Sex.Male,
            AdministrativeGender.Other => Sex.Other,
            AdministrativeGender.Unknown => Sex.Unknown,
            _ => null,
        };
        Add(new EnrolPatient(patientId, birthDate, sex), errors, PatientElements, at);

        switch (patient.Deceased)
        {
            case null: break;
            case FhirBoolean { Value: false }: break;
            case FhirDateTime died:
                var cause = Extension(patient, FhirTerms.DeathCauseExtension) is { } ext ? Code(ext.Value) : null;
                DeathCause? known = null;
                if (cause is not null && (known = ParseCode<DeathCause>(cause)) is null)
                    Refuse(at, DeathElements["cause"], $"death cause '{cause}' is unknown: expected disease, treatment, other or unknown.");
                Add(new RecordDeath(Date(died.Value, at, "deceasedDateTime"), known), new FieldErrors(), DeathElements, at);
                break;
            default:
                Refuse(at, "deceased[x]", "a death is recorded with its date: deceasedDateTime, not deceasedBoolean.");
                break;
        }
        return patientId;
    }

    void ReadCondition(Condition condition, BundleResource at)
    {
        var code = Codes(condition.Code, FhirTerms.IcdO3System).FirstOrDefault()
            ?? (Extension(condition, FhirTerms.HistologyMorphologyBehaviorExtension)?.Value is CodeableConcept morphology
                ? Codes(morphology, FhirTerms.IcdO3System).FirstOrDefault() : null);
        var onset = condition.Onset switch
        {
            null => null,
            FhirDateTime date => Date(date.Value, at, "onsetDateTime"),
            _ => Missing<DateOnly>(at, "onsetDateTime", "the diagnosis date is onsetDateTime."),
        };
        var metastatic = Extension(condition, FhirTerms.MetastaticExtension)?.Value switch
        {
            null => (bool?)null,
            FhirBoolean b => b.Value,
            _ => Missing<bool>(at, ConditionElements["metastatic"], "metastatic at diagnosis is a valueBoolean."),
        };
        var site = condition.BodySite.Select(s => s.Text).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
        if (code is null)
            Refuse(at, ConditionElements["histology"], "the Condition has no ICD-O-3 morphology code (code.coding with this system).");
        else Add(new RecordDiagnosis(onset, code, site, metastatic), new FieldErrors(), ConditionElements, at);
    }

    void ReadObservation(Observation observation, BundleResource at)
    {
        var loinc = Codes(observation.Code, FhirTerms.LoincSystem).ToList();
        DateOnly? date = observation.Effective switch
        {
            null => null,
            FhirDateTime effective => Date(effective.Value, at, "effectiveDateTime"),
            _ => Missing<DateOnly>(at, "effective[x]", "the date of an observation is effectiveDateTime."),
        };
        var value = observation.Value as CodeableConcept;
        if (loinc.Contains(FhirTerms.VitalStatusLoinc))
        {
            if (!Codes(value, FhirTerms.SnomedSystem).Contains(FhirTerms.Alive))
                Refuse(at, "valueCodeableConcept", $"a vital status is read as a follow-up only when alive (SNOMED CT {FhirTerms.Alive}).");
            else Add(new RecordFollowUp(date), new FieldErrors(), DatedObservationElements, at);
            return;
        }
        if (!loinc.Contains(FhirTerms.DiseaseStatusLoinc))
        {
            Refuse(at, "code", $"the Observation's code is unknown: expected LOINC {FhirTerms.DiseaseStatusLoinc} (disease status) or {FhirTerms.VitalStatusLoinc} (vital status), "
                + $"found {Describe(observation.Code)}.");
            return;
        }
        var recist = Codes(value, FhirTerms.RecistSystem).ToList();
        var diseaseEvent = Codes(value, FhirTerms.DiseaseEventSystem).ToList();
        if (recist.Count > 0)
        {
            var category = ParseCode<RecistCategory>(recist[0]);
            if (category is null)
            {
                Refuse(at, ResponseElements["category"], $"RECIST category '{recist[0]}' is unknown: expected CR, PR, SD, PD or NE.");
                return;
            }
            Add(new AssessResponse(date, Line(observation, at, ResponseElements["line"]), category), new FieldErrors(), ResponseElements, at);
        }
        else if (diseaseEvent.Count > 0)
        {
            IFactRequest? request = diseaseEvent[0] switch
            {
                "progression" => new RecordProgression(date),
                "relapse" => new RecordRelapse(date),
                _ => null,
            };
            if (request is null) Refuse(at, $"valueCodeableConcept ({FhirTerms.DiseaseEventSystem})", $"disease event '{diseaseEvent[0]}' is unknown: expected progression or relapse.");
            else Add(request, new FieldErrors(), DatedObservationElements, at);
        }
        else
            Refuse(at, "valueCodeableConcept", $"a disease status names a RECIST category ({FhirTerms.RecistSystem}) or a disease event ({FhirTerms.DiseaseEventSystem}); found {Describe(value)}.");
    }

    void ReadAdverseEvent(AdverseEvent adverse, BundleResource at)
    {
        if (adverse.Actuality is not AdverseEvent.AdverseEventActuality.Actual)
        {
            Refuse(at, "actuality", "only an adverse event that happened (actuality actual) is a fact of the record.");
            return;
        }
        var grade = Extension(adverse, FhirTerms.CtcaeGradeExtension)?.Value is { } g ? Integer(g, at, AdverseEventElements["grade"]) : null;
        var term = adverse.Event?.Text ?? adverse.Event?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
        Add(new RecordAdverseEvent(Date(adverse.DateElement?.Value, at, "date"), Line(adverse, at, AdverseEventElements["line"]), term, grade),
            new FieldErrors(), AdverseEventElements, at);
    }

    /// <summary>
    /// One MedicationAdministration per agent and line: the line's agents in entry order, its start (and end, with
    /// the reason) the same on each. A line start and, when ended, a line end.
    /// </summary>
    void ReadLines(List<(MedicationAdministration Given, BundleResource At)> given)
    {
        var byLine = new List<(int Line, List<(MedicationAdministration Given, BundleResource At)> Agents)>();
        foreach (var (one, at) in given)
        {
            var line = Line(one, at, LineStartElements["line"]);
            if (line is null)
            {
                Refuse(at, LineStartElements["line"], "the treatment line is missing: every MedicationAdministration names its line.");
                continue;
            }
            var group = byLine.FirstOrDefault(l => l.Line == line);
            if (group.Agents is null) byLine.Add(group = (line.Value, []));
            group.Agents.Add((one, at));
        }

        foreach (var (line, agents) in byLine)
        {
            var first = agents[0].At;
            var periods = agents.Select(a => (a.At, Period: a.Given.Effective as Period)).ToList();
            foreach (var (at, _) in periods.Where(p => p.Period is null))
                Refuse(at, "effectivePeriod", "a treatment line's dates are effectivePeriod (start, and end once it ended).");
            if (periods.Any(p => p.Period is null)) continue;

            var starts = periods.Select(p => p.Period!.Start).Distinct().ToList();
            var ends = periods.Select(p => p.Period!.End).Distinct().ToList();
            var reasons = agents.Select(a => Codes(a.Given.StatusReason, FhirTerms.LineEndReasonSystem).FirstOrDefault()).Distinct().ToList();
            if (starts.Count > 1 || ends.Count > 1 || reasons.Count > 1)
            {
                Refuse(first, "effectivePeriod", $"the agents of line {line} ({string.Join(", ", agents.Select(a => a.At.Label))}) differ in start, end or end reason: one line has one start and one end.");
                continue;
            }

            var regimen = agents.Select(a => Extension(a.Given, FhirTerms.RegimenExtension)?.Value).OfType<FhirString>().Select(s => s.Value).FirstOrDefault(r => r is not null);
            var names = agents.Select(a => AgentName(a.Given)).ToList();
            var resources = agents.Select(a => a.At).ToList();
            Add(new StartTreatmentLine(line, Date(starts[0], first, "effectivePeriod.start"), regimen, names), new FieldErrors(), LineStartElements, resources);

            if (ends[0] is null && reasons[0] is null) continue;
            LineEndReason? reason = null;
            if (reasons[0] is { } code && (reason = ParseCode<LineEndReason>(code)) is null)
            {
                Refuse(first, LineEndElements["reason"], $"line end reason '{code}' is unknown: expected completed, progression, toxicity, death or other.");
                continue;
            }
            Add(new EndTreatmentLine(Date(ends[0], first, "effectivePeriod.end"), reason, line), new FieldErrors(), LineEndElements, resources);
        }
    }

    /// <summary>The agent as recorded: the text, else the display of a coding (an RxNorm coding names the drug).</summary>
    static string? AgentName(MedicationAdministration given) => given.Medication switch
    {
        CodeableConcept medication => !string.IsNullOrWhiteSpace(medication.Text) ? medication.Text
            : medication.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)),
        _ => null,
    };

    /// <summary>Runs the route's own field checks; a fact that passes them joins the list, else each error is a refusal.</summary>
    void Add(IFactRequest request, FieldErrors errors, IReadOnlyDictionary<string, string> elements, params IReadOnlyList<BundleResource> at)
    {
        var fact = request.ToFact(errors);
        var read = new BundleFact(fact, at, elements);
        if (!errors.Any)
        {
            facts.Add(read);
            return;
        }
        foreach (var (field, messages) in errors.ToDictionary())
        {
            var (resource, element) = read.Locate(field);
            foreach (var message in messages) Refuse(resource, element, message);
        }
    }

    /// <summary>A FHIR date or dateTime as a calendar date: the day it was written with; a partial date is refused.</summary>
    DateOnly? Date(string? value, BundleResource at, string element)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length >= 10 && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        Refuse(at, element, $"{element} '{value}' is not a full date (YYYY-MM-DD): a clinical fact needs its day.");
        return null;
    }

    int? Line(DomainResource resource, BundleResource at, string element) =>
        Extension(resource, FhirTerms.TreatmentLineExtension)?.Value is { } value ? Integer(value, at, element) : null;

    int? Integer(DataType value, BundleResource at, string element)
    {
        switch (value)
        {
            case Integer i: return i.Value;
            case PositiveInt p: return p.Value;
            case UnsignedInt u: return u.Value;
            default:
                if (Code(value) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
                Refuse(at, element, $"{element} must be a whole number (valueInteger or valuePositiveInt).");
                return null;
        }
    }

    static Extension? Extension(DomainResource resource, string url) => resource.Extension.FirstOrDefault(e => e.Url == url);

    /// <summary>The code of an extension's value: valueCode, valueString, valueCoding or the first coding of a valueCodeableConcept.</summary>
    static string? Code(DataType? value) => value switch
    {
        Code code => code.Value,
        FhirString text => text.Value,
        Coding coding => coding.Code,
        CodeableConcept concept => concept.Coding.Select(c => c.Code).FirstOrDefault(),
        _ => null,
    };

    static IEnumerable<string> Codes(CodeableConcept? concept, string system) =>
        concept?.Coding.Where(c => c.System == system && !string.IsNullOrEmpty(c.Code)).Select(c => c.Code!) ?? [];

    static IEnumerable<string> Codes(IEnumerable<CodeableConcept> concepts, string system) => concepts.SelectMany(c => Codes(c, system));

    /// <summary>One of this product's codes (lower-case words, RECIST upper-case), matched as the API's JSON matches them: exactly.</summary>
    static T? ParseCode<T>(string code) where T : struct, Enum =>
        System.Enum.GetValues<T>().Select(v => (T?)v).FirstOrDefault(v => Wire(v!.Value) == code);

    static string Wire<T>(T value) where T : struct, Enum =>
        value is RecistCategory ? value.ToString() : value.ToString().ToLowerInvariant();

    void CheckSubject(ResourceReference? subject, BundleResource at, string element, HashSet<string> patient)
    {
        if (subject?.Reference is { Length: > 0 } reference && !patient.Contains(reference))
            Refuse(at, element, $"{element} '{reference}' is not this bundle's Patient: a bundle holds one patient's record.");
    }

    T? Missing<T>(BundleResource at, string element, string message) where T : struct
    {
        Refuse(at, element, message);
        return null;
    }

    static string Describe(object? value) => value switch
    {
        null => "none",
        CodeableConcept concept => concept.Coding.Count == 0 ? "no coding"
            : string.Join(", ", concept.Coding.Select(c => $"{c.System}|{c.Code}")),
        _ => value.ToString() ?? "none",
    };

    void Refuse(BundleResource at, string element, string message) => refusals.Add(new BundleRefusal(at.Label, element, message));
    void Refuse(string resource, string element, string message) => refusals.Add(new BundleRefusal(resource, element, message));
}
