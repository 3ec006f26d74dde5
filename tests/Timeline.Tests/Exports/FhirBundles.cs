using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Timeline.Exchange.Fhir;

namespace Timeline.Tests.Exports;

/// <summary>
/// SYNTHETIC one-patient bundles built by hand with the Firely POCOs, as a hospital system would send them:
/// each resource written from the FHIR mapping's description (FhirTerms), not from this product's export.
/// </summary>
public sealed class FhirBundles
{
    readonly Bundle bundle = new() { Type = Bundle.BundleType.Collection };
    readonly string patientUrl;

    public FhirBundles(string patientId, string birthDate = "2006-04-12", AdministrativeGender gender = AdministrativeGender.Female)
    {
        Patient = new Patient
        {
            Id = "pat-1",
            Meta = new Meta { Profile = [FhirTerms.CancerPatientProfile] },
            Identifier = [new Identifier(FhirTerms.PatientIdSystem, patientId)],
            BirthDate = birthDate,
            Gender = gender,
        };
        patientUrl = "urn:uuid:" + Guid.NewGuid();
        Add(Patient, patientUrl);
    }

    public Patient Patient { get; }
    public Bundle Bundle => bundle;
    public ResourceReference Subject => new(patientUrl);

    /// <summary>The bundle as JSON, the body of the import.</summary>
    public string Json => bundle.ToJson();

    public T Add<T>(T resource, string? fullUrl = null) where T : Resource
    {
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = fullUrl ?? "urn:uuid:" + Guid.NewGuid(), Resource = resource });
        return resource;
    }

    public FhirBundles Death(string date, string? cause)
    {
        Patient.Deceased = new FhirDateTime(date);
        if (cause is not null) Patient.Extension.Add(new Extension(FhirTerms.DeathCauseExtension, new Code(cause)));
        return this;
    }

    public Condition Diagnosis(string date, string icdO3, string? site = null, bool? metastatic = null)
    {
        var condition = new Condition
        {
            Id = "dx",
            Meta = new Meta { Profile = [FhirTerms.PrimaryCancerConditionProfile] },
            Subject = Subject,
            Code = new CodeableConcept(FhirTerms.IcdO3System, icdO3),
            Onset = new FhirDateTime(date),
        };
        condition.Extension.Add(new Extension(FhirTerms.HistologyMorphologyBehaviorExtension, new CodeableConcept(FhirTerms.IcdO3System, icdO3)));
        if (site is not null) condition.BodySite.Add(new CodeableConcept { Text = site });
        if (metastatic is { } m) condition.Extension.Add(new Extension(FhirTerms.MetastaticExtension, new FhirBoolean(m)));
        return Add(condition);
    }

    /// <summary>One MedicationAdministration per agent, in the order given.</summary>
    public List<MedicationAdministration> Line(int line, string start, string? end, string? reason, string? regimen, params string[] agents)
    {
        var given = new List<MedicationAdministration>();
        foreach (var agent in agents)
        {
            var medication = new CodeableConcept { Text = agent };
            if (FhirTerms.RxNorm.TryGetValue(agent, out var rx)) medication.Coding.Add(new Coding(FhirTerms.RxNormSystem, rx, agent));
            var one = new MedicationAdministration
            {
                Id = $"line{line}-{agent}",
                Meta = new Meta { Profile = [FhirTerms.MedicationAdministrationProfile] },
                Status = end is null ? MedicationAdministration.MedicationAdministrationStatusCodes.InProgress : MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                Subject = Subject,
                Medication = medication,
                Effective = new Period { Start = start, End = end },
            };
            one.Extension.Add(new Extension(FhirTerms.TreatmentLineExtension, new PositiveInt(line)));
            if (regimen is not null) one.Extension.Add(new Extension(FhirTerms.RegimenExtension, new FhirString(regimen)));
            if (reason is not null) one.StatusReason.Add(new CodeableConcept(FhirTerms.LineEndReasonSystem, reason));
            given.Add(Add(one));
        }
        return given;
    }

    public Observation Response(string id, string date, int line, string recist, string snomed = FhirTerms.Stable)
    {
        var value = new CodeableConcept(FhirTerms.SnomedSystem, snomed);
        value.Coding.Add(new Coding(FhirTerms.RecistSystem, recist));
        var observation = DiseaseStatus(id, date, value);
        observation.Extension.Add(new Extension(FhirTerms.TreatmentLineExtension, new PositiveInt(line)));
        return observation;
    }

    /// <summary>A progression or a relapse: SNOMED worsening and the disease event.</summary>
    public Observation DiseaseEvent(string id, string date, string kind)
    {
        var value = new CodeableConcept(FhirTerms.SnomedSystem, FhirTerms.Worsening);
        value.Coding.Add(new Coding(FhirTerms.DiseaseEventSystem, kind));
        return DiseaseStatus(id, date, value);
    }

    Observation DiseaseStatus(string id, string date, CodeableConcept value) => Add(new Observation
    {
        Id = id,
        Meta = new Meta { Profile = [FhirTerms.DiseaseStatusProfile] },
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(FhirTerms.LoincSystem, FhirTerms.DiseaseStatusLoinc),
        Subject = Subject,
        Effective = new FhirDateTime(date),
        Value = value,
    });

    public Observation FollowUp(string id, string date) => Add(new Observation
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(FhirTerms.LoincSystem, FhirTerms.VitalStatusLoinc),
        Subject = Subject,
        Effective = new FhirDateTime(date),
        Value = new CodeableConcept(FhirTerms.SnomedSystem, FhirTerms.Alive),
    });

    public AdverseEvent AdverseEvent(string id, string date, int? line, string term, int grade)
    {
        var adverse = new AdverseEvent
        {
            Id = id,
            Actuality = Hl7.Fhir.Model.AdverseEvent.AdverseEventActuality.Actual,
            Subject = Subject,
            Event = new CodeableConcept { Text = term },
            Date = date,
        };
        adverse.Extension.Add(new Extension(FhirTerms.CtcaeGradeExtension, new Integer(grade)));
        if (line is { } l) adverse.Extension.Add(new Extension(FhirTerms.TreatmentLineExtension, new PositiveInt(l)));
        return Add(adverse);
    }

    /// <summary>
    /// The full SYNTHETIC course, every kind of fact, its resources deliberately out of clinical order (observations
    /// before the lines they name, the Patient with its death in the middle): two chemotherapy lines, relapse,
    /// progression, an mTKI line still running with two responses, two adverse events, a follow-up, death.
    /// </summary>
    public static FhirBundles FullCourse(string patientId)
    {
        var b = new FhirBundles(patientId);
        b.Response("resp-sd", "2021-01-15", 3, "SD");
        b.AdverseEvent("ae-hfs", "2021-02-01", 3, "Palmar-plantar erythrodysesthesia syndrome", 2);
        b.Diagnosis("2019-03-01", "9180/3", "femur", metastatic: false);
        b.Line(2, "2020-05-20", "2020-11-01", "progression", "IE", "ifosfamide", "etoposide");
        b.DiseaseEvent("relapse", "2020-05-01", "relapse");
        b.Line(1, "2019-03-15", "2019-10-01", "completed", "MAP", "methotrexate", "doxorubicin", "cisplatin");
        b.Response("resp-pr", "2021-03-15", 3, "PR", FhirTerms.Improving);
        b.DiseaseEvent("progression", "2020-11-01", "progression");
        b.Line(3, "2020-11-20", null, null, null, "sorafenib");
        b.AdverseEvent("ae-nausea", "2019-04-02", null, "Nausea", 1);
        b.FollowUp("alive", "2021-06-01");
        b.Death("2021-09-10", "disease");
        return b;
    }
}
