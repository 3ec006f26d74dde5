using System.Text.Json.Serialization;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;

namespace Timeline.Projections.Patients;

/// <summary>A patient's derived timeline with corrections applied: what the timeline route answers.</summary>
public sealed record PatientTimeline(
    string PatientId,
    long Version,
    Demographics? Demographics,
    DiagnosisEntry? Diagnosis,
    IReadOnlyList<TreatmentLineEntry> TreatmentLines,
    IReadOnlyList<DatedEntry> Progressions,
    IReadOnlyList<DatedEntry> Relapses,
    IReadOnlyList<AdverseEventEntry> AdverseEvents,
    IReadOnlyList<DatedEntry> FollowUps,
    DateOnly? LastContact,
    DeathEntry? Death,
    SecondLineRelapseAnchor? Anchor)
{
    /// <summary>The recorded time this timeline was replayed up to; null for the current one.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The lock in force (who, when, why), or null while facts and corrections may be recorded.</summary>
    public ChartLock? Locked { get; init; }

    /// <summary>Every signature, oldest first; a fact or correction recorded after one supersedes it.</summary>
    public IReadOnlyList<SignatureEntry> Signatures { get; init; } = [];

    public static PatientTimeline From(PatientChart chart)
    {
        var facts = chart.Facts;
        var enrolled = facts.FirstOrDefault(f => f.Fact is PatientEnrolled);
        var diagnosis = facts.FirstOrDefault(f => f.Fact is DiagnosisRecorded);
        var death = facts.FirstOrDefault(f => f.Fact is DeathRecorded);

        var lines = facts.Where(f => f.Fact is TreatmentLineStarted)
            .Select(f => (Entry: f, Start: (TreatmentLineStarted)f.Fact))
            .OrderBy(l => l.Start.Line)
            .Select(l =>
            {
                var end = facts.FirstOrDefault(f => f.Fact is TreatmentLineEnded e && e.Line == l.Start.Line);
                var ended = end?.Fact as TreatmentLineEnded;
                var responses = facts
                    .Select(f => f.Fact is ResponseAssessed r && r.Line == l.Start.Line ? new ResponseEntry(f.EventId, r.Date, r.Category, f.Corrected) { Override = r.Override } : null)
                    .OfType<ResponseEntry>().OrderBy(r => r.Date).ToList();
                return new TreatmentLineEntry(l.Entry.EventId, l.Start.Line, l.Start.StartDate, ended?.Date, ended?.Reason,
                    l.Start.Regimen, l.Start.Agents, KinaseInhibitors.AnyMtki(l.Start.Agents), responses,
                    l.Entry.Corrected, end?.EventId) { Missing = l.Start.Missing };
            }).ToList();

        return new PatientTimeline(
            chart.Id,
            chart.Version,
            enrolled?.Fact is PatientEnrolled p ? new Demographics(p.BirthDate, p.Sex, enrolled.Corrected) { EventId = enrolled.EventId } : null,
            diagnosis?.Fact is DiagnosisRecorded d
                ? new DiagnosisEntry(diagnosis.EventId, d.Date, d.Histology, Histologies.NameOf(d.Histology), d.PrimarySite, d.Metastatic, diagnosis.Corrected) { Missing = d.Missing }
                : null,
            lines,
            Dated<ProgressionRecorded>(facts),
            Dated<RelapseRecorded>(facts),
            facts.Select(f => f.Fact is AdverseEventRecorded a ? new AdverseEventEntry(f.EventId, a.Date, a.Line, a.Term, a.Grade, f.Corrected) { Missing = a.Missing, Override = a.Override } : null)
                .OfType<AdverseEventEntry>().OrderBy(a => a.Date).ToList(),
            Dated<FollowUpRecorded>(facts),
            SecondLineRelapseAnchor.LastContact(chart),
            death?.Fact is DeathRecorded x ? new DeathEntry(death.EventId, x.Date, x.Cause, death.Corrected) { Missing = x.Missing } : null,
            SecondLineRelapseAnchor.Of(chart))
        {
            Locked = chart.Lock,
            Signatures = chart.Signatures.Select(g => new SignatureEntry(g.EventId, g.Signer, g.SignedAt, g.Meaning, g.CoversVersion,
                g.SupersededBy is null ? "current" : "superseded", g.SupersededBy)).ToList(),
        };
    }

    static List<DatedEntry> Dated<T>(IEnumerable<ChartEntry> facts) where T : ClinicalFact =>
        facts.Where(f => f.Fact is T).Select(f => new DatedEntry(f.EventId, f.Fact.ClinicalDate, f.Corrected))
            .OrderBy(e => e.Date).ToList();
}

public sealed record Demographics(DateOnly BirthDate, Sex Sex, bool Corrected)
{
    /// <summary>The enrolment's event (the original, even once corrected): what a correction of the demographics names.</summary>
    public Guid EventId { get; init; }
}

public sealed record DiagnosisEntry(Guid EventId, DateOnly Date, string Histology, string? HistologyName, string? PrimarySite, bool? Metastatic, bool Corrected)
{
    /// <summary>Why primarySite or metastatic is empty, when the recorder said.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<MissingValue>? Missing { get; init; }
}

public sealed record TreatmentLineEntry(
    Guid EventId, int Line, DateOnly StartDate, DateOnly? EndDate, LineEndReason? EndReason, string? Regimen,
    IReadOnlyList<string> Agents, bool IsMtki, IReadOnlyList<ResponseEntry> Responses, bool Corrected, Guid? EndEventId)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<MissingValue>? Missing { get; init; }
}

public sealed record ResponseEntry(Guid EventId, DateOnly Date, RecistCategory Category, bool Corrected)
{
    /// <summary>The soft checks overridden to record it (response-late), with the reason.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SoftCheckOverride? Override { get; init; }
}

public sealed record DatedEntry(Guid EventId, DateOnly Date, bool Corrected);

public sealed record AdverseEventEntry(Guid EventId, DateOnly Date, int? Line, string Term, int Grade, bool Corrected)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<MissingValue>? Missing { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SoftCheckOverride? Override { get; init; }
}

public sealed record DeathEntry(Guid EventId, DateOnly Date, DeathCause? Cause, bool Corrected)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<MissingValue>? Missing { get; init; }
}

/// <summary>A signature as the timeline shows it: status "current", or "superseded" by the later fact or correction named.</summary>
public sealed record SignatureEntry(Guid EventId, string Signer, DateTimeOffset SignedAt, SignatureMeaning Meaning, long CoversVersion, string Status, Guid? SupersededBy);
