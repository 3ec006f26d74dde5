using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using R4 = Hl7.Fhir.Model;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// One patient's chart (facts as corrected, retracted facts absent) as FHIR R4 resources, exactly as
/// <see cref="FhirTerms"/> describes them: the Patient first, then the resources of the other facts in the chart's
/// order (a line's agents in the order recorded). Every resource names its source event in an identifier and in
/// <c>meta.source</c>; ids come from the event ids, so the same events give the same resources.
/// </summary>
public static class FhirResources
{
    public static IEnumerable<R4.Resource> Of(PatientChart chart)
    {
        var patient = PatientOf(chart);
        yield return patient;
        var subject = new R4.ResourceReference("Patient/" + patient.Id);
        var diagnosis = chart.Facts.FirstOrDefault(f => f.Fact is DiagnosisRecorded);
        var ends = chart.Facts.Where(f => f.Fact is TreatmentLineEnded).GroupBy(f => ((TreatmentLineEnded)f.Fact).Line)
            .ToDictionary(g => g.Key, g => g.First());
        foreach (var entry in chart.Facts)
        {
            switch (entry.Fact)
            {
                case DiagnosisRecorded d:
                    yield return Condition(entry.EventId, d, subject);
                    break;
                case TreatmentLineStarted line:
                    foreach (var given in Administrations(entry.EventId, line, ends.GetValueOrDefault(line.Line), subject)) yield return given;
                    break;
                case ResponseAssessed r:
                    yield return Response(entry.EventId, r, subject, diagnosis);
                    break;
                case ProgressionRecorded p:
                    yield return DiseaseEvent(entry.EventId, p.Date, "progression", subject, diagnosis);
                    break;
                case RelapseRecorded r:
                    yield return DiseaseEvent(entry.EventId, r.Date, "relapse", subject, diagnosis);
                    break;
                case FollowUpRecorded f:
                    yield return VitalStatus(entry.EventId, f.Date, subject);
                    break;
                case AdverseEventRecorded ae:
                    yield return AdverseEvent(entry.EventId, ae, subject);
                    break;
                // The enrolment and the death are the Patient's; a line's end is on its MedicationAdministrations.
            }
        }
    }

    static R4.Patient PatientOf(PatientChart chart)
    {
        var enrolment = chart.Facts.FirstOrDefault(f => f.Fact is PatientEnrolled);
        var death = chart.Facts.FirstOrDefault(f => f.Fact is DeathRecorded);
        var patient = new R4.Patient
        {
            Id = enrolment is null ? FhirIds.OfPatient(chart.Id) : FhirIds.Of(enrolment.EventId),
            Meta = Meta(enrolment?.EventId, FhirTerms.CancerPatientProfile),
            Identifier = [new R4.Identifier(FhirTerms.PatientIdSystem, chart.Id)],
        };
        if (enrolment is { Fact: PatientEnrolled enrolled })
        {
            patient.Identifier.Add(EventId(enrolment.EventId));
            patient.BirthDate = Date(enrolled.BirthDate);
            patient.Gender = enrolled.Sex switch
            {
                Sex.Female => R4.AdministrativeGender.Female,
                Sex.Male => R4.AdministrativeGender.Male,
                Sex.Other => R4.AdministrativeGender.Other,
                _ => R4.AdministrativeGender.Unknown,
            };
        }
        if (death is { Fact: DeathRecorded died })
        {
            patient.Identifier.Add(EventId(death.EventId));
            if (died.Cause is { } cause) patient.Extension.Add(new R4.Extension(FhirTerms.DeathCauseExtension, new R4.Code(Wire(cause))));
            patient.Deceased = new R4.FhirDateTime(Date(died.Date));
        }
        return patient;
    }

    static R4.Condition Condition(Guid eventId, DiagnosisRecorded d, R4.ResourceReference subject)
    {
        R4.CodeableConcept Morphology() => new()
        {
            Coding = [new R4.Coding(FhirTerms.IcdO3System, d.Histology)],
            Text = Histologies.NameOf(d.Histology) ?? d.Histology,
        };
        var condition = new R4.Condition
        {
            Id = FhirIds.Of(eventId),
            Meta = Meta(eventId, FhirTerms.PrimaryCancerConditionProfile),
            Identifier = [EventId(eventId)],
            Extension = [new R4.Extension(FhirTerms.HistologyMorphologyBehaviorExtension, Morphology())],
            // A diagnosis is recorded once it is established (a wrong one is corrected, not left provisional).
            VerificationStatus = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            Code = Morphology(),
            Subject = subject,
            Onset = new R4.FhirDateTime(Date(d.Date)),
        };
        if (d.Metastatic is { } metastatic) condition.Extension.Add(new R4.Extension(FhirTerms.MetastaticExtension, new R4.FhirBoolean(metastatic)));
        if (!string.IsNullOrWhiteSpace(d.PrimarySite)) condition.BodySite = [new R4.CodeableConcept { Text = d.PrimarySite }];
        return condition;
    }

    /// <summary>One MedicationAdministration per agent of the line, each carrying the line's start, end and end reason.</summary>
    static IEnumerable<R4.MedicationAdministration> Administrations(Guid eventId, TreatmentLineStarted line, ChartEntry? end,
        R4.ResourceReference subject)
    {
        var ended = end?.Fact as TreatmentLineEnded;
        for (var i = 0; i < line.Agents.Count; i++)
        {
            var agent = line.Agents[i];
            var medication = new R4.CodeableConcept { Text = agent };
            if (FhirTerms.RxNorm.TryGetValue(agent.Trim(), out var rxcui))
                medication.Coding = [new R4.Coding(FhirTerms.RxNormSystem, rxcui, agent.Trim().ToLowerInvariant())];
            var given = new R4.MedicationAdministration
            {
                Id = FhirIds.Of(eventId, $"agent/{i}"),
                Meta = Meta(eventId, FhirTerms.MedicationAdministrationProfile),
                Identifier = [EventId(eventId)],
                Extension = [Line(line.Line)],
                // The line's course: going on, run to completion, or stopped early (progression, toxicity, death, other).
                Status = ended is null ? R4.MedicationAdministration.MedicationAdministrationStatusCodes.InProgress
                    : ended.Reason == LineEndReason.Completed ? R4.MedicationAdministration.MedicationAdministrationStatusCodes.Completed
                    : R4.MedicationAdministration.MedicationAdministrationStatusCodes.Stopped,
                Medication = medication,
                Subject = subject,
                Effective = new R4.Period(new R4.FhirDateTime(Date(line.StartDate)), ended is null ? null : new R4.FhirDateTime(Date(ended.Date))),
            };
            if (!string.IsNullOrWhiteSpace(line.Regimen)) given.Extension.Add(new R4.Extension(FhirTerms.RegimenExtension, new R4.FhirString(line.Regimen)));
            if (ended is not null)
            {
                given.Identifier.Add(EventId(end!.EventId));
                given.StatusReason = [new R4.CodeableConcept(FhirTerms.LineEndReasonSystem, Wire(ended.Reason))];
            }
            yield return given;
        }
    }

    static R4.Observation Response(Guid eventId, ResponseAssessed r, R4.ResourceReference subject, ChartEntry? diagnosis)
    {
        var (trend, display) = r.Category switch
        {
            RecistCategory.CR or RecistCategory.PR => (FhirTerms.Improving, "Patient's condition improved (finding)"),
            RecistCategory.SD => (FhirTerms.Stable, "Patient's condition stable (finding)"),
            RecistCategory.PD => (FhirTerms.Worsening, "Patient's condition worsened (finding)"),
            _ => (FhirTerms.Undetermined, "Patient condition undetermined (finding)"),
        };
        var observation = DiseaseStatus(eventId, r.Date, subject, diagnosis, new R4.CodeableConcept
        {
            Coding = [new R4.Coding(FhirTerms.SnomedSystem, trend, display), new R4.Coding(FhirTerms.RecistSystem, r.Category.ToString())],
            Text = "RECIST 1.1 " + r.Category,
        });
        observation.Extension.Add(Line(r.Line));
        return observation;
    }

    /// <summary>A progression or a relapse: the disease worsened, and which of the two it was.</summary>
    static R4.Observation DiseaseEvent(Guid eventId, DateOnly date, string kind, R4.ResourceReference subject, ChartEntry? diagnosis) =>
        DiseaseStatus(eventId, date, subject, diagnosis, new R4.CodeableConcept
        {
            Coding = [new R4.Coding(FhirTerms.SnomedSystem, FhirTerms.Worsening, "Patient's condition worsened (finding)"), new R4.Coding(FhirTerms.DiseaseEventSystem, kind)],
            Text = kind,
        });

    static R4.Observation DiseaseStatus(Guid eventId, DateOnly date, R4.ResourceReference subject, ChartEntry? diagnosis, R4.CodeableConcept value)
    {
        var observation = new R4.Observation
        {
            Id = FhirIds.Of(eventId),
            Meta = Meta(eventId, FhirTerms.DiseaseStatusProfile),
            Identifier = [EventId(eventId)],
            Status = R4.ObservationStatus.Final,
            Code = new R4.CodeableConcept(FhirTerms.LoincSystem, FhirTerms.DiseaseStatusLoinc, "Cancer disease progression", null),
            Subject = subject,
            Effective = new R4.FhirDateTime(Date(date)),
            Value = value,
        };
        // mCODE's disease status is about the cancer: the primary cancer condition, when the chart has it.
        if (diagnosis is not null) observation.Focus = [new R4.ResourceReference("Condition/" + FhirIds.Of(diagnosis.EventId))];
        return observation;
    }

    static R4.Observation VitalStatus(Guid eventId, DateOnly date, R4.ResourceReference subject) => new()
    {
        Id = FhirIds.Of(eventId),
        Meta = Meta(eventId, null),
        Identifier = [EventId(eventId)],
        Status = R4.ObservationStatus.Final,
        Code = new R4.CodeableConcept(FhirTerms.LoincSystem, FhirTerms.VitalStatusLoinc, "Vital status", null),
        Subject = subject,
        Effective = new R4.FhirDateTime(Date(date)),
        Value = new R4.CodeableConcept(FhirTerms.SnomedSystem, FhirTerms.Alive, "Alive (finding)", null),
    };

    static R4.AdverseEvent AdverseEvent(Guid eventId, AdverseEventRecorded ae, R4.ResourceReference subject)
    {
        var adverse = new R4.AdverseEvent
        {
            Id = FhirIds.Of(eventId),
            Meta = Meta(eventId, null),
            Identifier = EventId(eventId),
            Extension = [new R4.Extension(FhirTerms.CtcaeGradeExtension, new R4.PositiveInt(ae.Grade))],
            Actuality = R4.AdverseEvent.AdverseEventActuality.Actual,
            Event = new R4.CodeableConcept { Text = ae.Term },
            Subject = subject,
            Date = Date(ae.Date),
        };
        if (ae.Line is { } line) adverse.Extension.Add(Line(line));
        return adverse;
    }

    static R4.Meta Meta(Guid? eventId, string? profile)
    {
        var meta = new R4.Meta { Source = eventId is { } id ? FhirIds.Source(id) : null };
        if (profile is not null) meta.Profile = [profile];
        return meta;
    }

    static R4.Identifier EventId(Guid eventId) => new(FhirTerms.EventIdSystem, FhirIds.Of(eventId));

    static R4.Extension Line(int line) => new(FhirTerms.TreatmentLineExtension, new R4.PositiveInt(line));

    static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>This product's codes as the API writes them: the enum's name in lower case.</summary>
    static string Wire<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
