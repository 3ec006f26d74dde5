using System.Text.Json.Serialization;

namespace Timeline.Projections.Events;

// The facts of one patient's stream. Each carries its clinical date; the recorded time is set by the store.
// The polymorphic base lets a correction carry its replacement fact with a discriminator in the JSON.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(PatientEnrolled), "enrolment")]
[JsonDerivedType(typeof(DiagnosisRecorded), "diagnosis")]
[JsonDerivedType(typeof(TreatmentLineStarted), "treatment-line")]
[JsonDerivedType(typeof(TreatmentLineEnded), "treatment-line-end")]
[JsonDerivedType(typeof(ResponseAssessed), "response")]
[JsonDerivedType(typeof(ProgressionRecorded), "progression")]
[JsonDerivedType(typeof(RelapseRecorded), "relapse")]
[JsonDerivedType(typeof(AdverseEventRecorded), "adverse-event")]
[JsonDerivedType(typeof(FollowUpRecorded), "follow-up")]
[JsonDerivedType(typeof(DeathRecorded), "death")]
public abstract record ClinicalFact
{
    /// <summary>When it happened in the clinic (the birth date for an enrolment).</summary>
    [JsonIgnore] public abstract DateOnly ClinicalDate { get; }

    /// <summary>
    /// Why optional fields left empty are empty (typed missing data, never a magic value); null when none was said.
    /// Absent from events recorded before it existed, which therefore still read (and write) exactly as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MissingValue>? Missing { get; init; }

    /// <summary>The soft checks a recorder overrode to record this fact, and why; null when none was overridden.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SoftCheckOverride? Override { get; init; }
}

public sealed record PatientEnrolled(DateOnly BirthDate, Sex Sex) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => BirthDate;
}

/// <param name="Histology">ICD-O-3 morphology code, e.g. 9180/3.</param>
public sealed record DiagnosisRecorded(DateOnly Date, string Histology, string? PrimarySite, bool? Metastatic) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

public sealed record TreatmentLineStarted(int Line, DateOnly StartDate, string? Regimen, IReadOnlyList<string> Agents) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => StartDate;
}

public sealed record TreatmentLineEnded(int Line, DateOnly Date, LineEndReason Reason) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

public sealed record ResponseAssessed(DateOnly Date, int Line, RecistCategory Category) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

public sealed record ProgressionRecorded(DateOnly Date) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

/// <summary>Recurrence after remission.</summary>
public sealed record RelapseRecorded(DateOnly Date) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

/// <param name="Term">CTCAE term.</param>
/// <param name="Grade">CTCAE grade 1–5.</param>
public sealed record AdverseEventRecorded(DateOnly Date, int? Line, string Term, int Grade) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

/// <summary>The patient was known to be alive on this date.</summary>
public sealed record FollowUpRecorded(DateOnly Date) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

public sealed record DeathRecorded(DateOnly Date, DeathCause? Cause) : ClinicalFact
{
    [JsonIgnore] public override DateOnly ClinicalDate => Date;
}

// Corrections never edit the original: they are facts about facts, with a mandatory reason (21 CFR 11.10(e)).

/// <summary>An earlier fact of the same stream is replaced by a corrected version of the same kind.</summary>
public sealed record FactCorrected(Guid EventId, string Reason, ClinicalFact Replacement);

/// <summary>An earlier fact of the same stream should never have been recorded.</summary>
public sealed record FactRetracted(Guid EventId, string Reason);
