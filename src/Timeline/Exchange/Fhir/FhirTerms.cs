namespace Timeline.Exchange.Fhir;

/// <summary>
/// The one description of how a patient's facts are written as FHIR R4 resources (mCODE profiles where mCODE has
/// one) and read back: the export writes with it, the import reads with it, and the README lists it.
/// <para>
/// Resources, one per fact as corrected (a retracted fact is absent), each naming its source event twice: an
/// identifier (<see cref="EventIdSystem"/>, the event id) and <c>meta.source</c> = <c>urn:uuid:{eventId}</c>.
/// <list type="bullet">
/// <item>Patient (mcode-cancer-patient): identifier <see cref="PatientIdSystem"/> = the patient id; birthDate and
/// gender from the enrolment; deceasedDateTime from the death, with the cause in <see cref="DeathCauseExtension"/>.
/// The death's event id is a second <see cref="EventIdSystem"/> identifier on the Patient.</item>
/// <item>Condition (mcode-primary-cancer-condition): code and the mCODE histology-morphology-behavior extension both
/// the ICD-O-3 morphology (<see cref="IcdO3System"/>, e.g. 9180/3); onsetDateTime = the diagnosis date; bodySite.text
/// = the primary site; metastatic at diagnosis in <see cref="MetastaticExtension"/>.</item>
/// <item>MedicationAdministration (mcode-cancer-related-medication-administration), one per agent of each line:
/// medicationCodeableConcept.text = the agent (RxNorm coding for the three mTKIs); effectivePeriod = start and end of
/// the line; <see cref="TreatmentLineExtension"/> = the line number; <see cref="RegimenExtension"/> = the regimen;
/// the end reason in statusReason (<see cref="LineEndReasonSystem"/>). The line start's event id is the identifier,
/// the line end's a second one.</item>
/// <item>Observation (mcode-cancer-disease-status, code LOINC <see cref="DiseaseStatusLoinc"/>) for each RECIST
/// response (value: the SNOMED CT improving/stable/worsening/undetermined coding and the RECIST category in
/// <see cref="RecistSystem"/>; line in <see cref="TreatmentLineExtension"/>), each progression and each relapse
/// (value: SNOMED worsening and <see cref="DiseaseEventSystem"/> progression or relapse).</item>
/// <item>Observation (code LOINC <see cref="VitalStatusLoinc"/>, value SNOMED alive) for each follow-up.</item>
/// <item>AdverseEvent (actuality actual): event.text = the CTCAE term, date, grade in <see cref="CtcaeGradeExtension"/>,
/// line in <see cref="TreatmentLineExtension"/>.</item>
/// </list>
/// </para>
/// </summary>
public static class FhirTerms
{
    /// <summary>This product's own namespace for its identifier systems, code systems and extensions (documented in the README).</summary>
    public const string Base = "https://sarcoma-timeline.example.org/fhir";

    public const string PatientIdSystem = Base + "/patient-id";
    public const string EventIdSystem = Base + "/event-id";

    public const string TreatmentLineExtension = Base + "/StructureDefinition/treatment-line";
    public const string RegimenExtension = Base + "/StructureDefinition/regimen";
    public const string MetastaticExtension = Base + "/StructureDefinition/metastatic-at-diagnosis";
    public const string DeathCauseExtension = Base + "/StructureDefinition/death-cause";
    public const string CtcaeGradeExtension = Base + "/StructureDefinition/ctcae-grade";

    public const string RecistSystem = Base + "/CodeSystem/recist-category";
    public const string DiseaseEventSystem = Base + "/CodeSystem/disease-event";
    public const string LineEndReasonSystem = Base + "/CodeSystem/line-end-reason";

    public const string McodeBase = "http://hl7.org/fhir/us/mcode/StructureDefinition/";
    public const string CancerPatientProfile = McodeBase + "mcode-cancer-patient";
    public const string PrimaryCancerConditionProfile = McodeBase + "mcode-primary-cancer-condition";
    public const string MedicationAdministrationProfile = McodeBase + "mcode-cancer-related-medication-administration";
    public const string DiseaseStatusProfile = McodeBase + "mcode-cancer-disease-status";
    public const string HistologyMorphologyBehaviorExtension = McodeBase + "mcode-histology-morphology-behavior";

    public const string LoincSystem = "http://loinc.org";
    public const string SnomedSystem = "http://snomed.info/sct";
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string IcdO3System = "http://terminology.hl7.org/CodeSystem/icd-o-3";

    /// <summary>LOINC 97509-4, Cancer disease progression (mCODE's disease status code).</summary>
    public const string DiseaseStatusLoinc = "97509-4";
    /// <summary>LOINC 75186-7, Vital status.</summary>
    public const string VitalStatusLoinc = "75186-7";

    // SNOMED CT values of the disease status (mCODE's ConditionStatusTrendVS) and of the vital status.
    public const string Improving = "268910001";
    public const string Stable = "359746009";
    public const string Worsening = "271299001";
    public const string Undetermined = "709137006";
    public const string Alive = "438949009";

    /// <summary>RxNorm ingredient codes of the study's kinase inhibitors; other agents are exported by name only.</summary>
    public static readonly IReadOnlyDictionary<string, string> RxNorm = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["sorafenib"] = "495881",
        ["regorafenib"] = "1312397",
        ["pazopanib"] = "714438",
    };
}
