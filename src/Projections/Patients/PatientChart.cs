using JasperFx.Events;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;

namespace Timeline.Projections.Patients;

/// <summary>One active fact on the chart: its original event id and its content after any correction.</summary>
public sealed record ChartEntry(Guid EventId, long Version, ClinicalFact Fact, bool Corrected);

/// <summary>The lock in force: who locked the record, when and why (facts and corrections are refused meanwhile).</summary>
public sealed record ChartLock(Guid EventId, string By, DateTimeOffset At, string Reason);

/// <summary>An investigator's signature of the record at <see cref="CoversVersion"/>; <see cref="SupersededBy"/> is the first fact or correction recorded after it.</summary>
public sealed record ChartSignature(Guid EventId, string Signer, DateTimeOffset SignedAt, SignatureMeaning Meaning, long CoversVersion, Guid? SupersededBy);

/// <summary>
/// A patient's facts as they stand once corrections and retractions are applied, in recorded order.
/// It is the write model (rules are checked against it), the source of the timeline and of every derived
/// figure, and a stored document (kept inline with the stream) for the patient list.
/// </summary>
public sealed class PatientChart
{
    public string Id { get; set; } = "";
    public long Version { get; set; }
    public long LastSequence { get; set; }
    public List<ChartEntry> Facts { get; set; } = [];
    public List<Guid> Retracted { get; set; } = [];
    /// <summary>Ids of the correction and retraction events themselves: they cannot be corrected in turn.</summary>
    public List<Guid> CorrectionEvents { get; set; } = [];
    /// <summary>Null while the record is open to new facts and corrections.</summary>
    public ChartLock? Lock { get; set; }
    public List<ChartSignature> Signatures { get; set; } = [];

    public string? Histology => Find<DiagnosisRecorded>()?.Histology;

    public string Status =>
        Find<DeathRecorded>() is not null ? "deceased"
        : Find<DiagnosisRecorded>() is null ? "enrolled"
        : OpenLine() is not null ? "on-treatment"
        : Find<TreatmentLineStarted>() is not null ? "off-treatment"
        : "diagnosed";

    public static PatientChart Replay(string id, IEnumerable<(Guid EventId, long Version, long Sequence, object Data)> events)
    {
        var chart = new PatientChart { Id = id };
        foreach (var (eventId, version, sequence, data) in events) chart.Apply(eventId, version, sequence, data);
        return chart;
    }

    /// <summary>The chart of a stream's events as the store returns them, in stream order.</summary>
    public static PatientChart Replay(string id, IEnumerable<IEvent> events) =>
        Replay(id, events.Select(e => (e.Id, e.Version, e.Sequence, e.Data)));

    public void Apply(Guid eventId, long version, long sequence, object data)
    {
        Version = version;
        LastSequence = Math.Max(LastSequence, sequence);
        // Any change to what the record says supersedes the signatures given before it (21 CFR 11.70: a signature
        // stays linked to the record it signed, not to a later one).
        if (data is ClinicalFact or FactCorrected or FactRetracted) Supersede(eventId);
        switch (data)
        {
            case PatientLocked locked:
                Lock = new ChartLock(eventId, locked.By, locked.At, locked.Reason);
                break;
            case PatientUnlocked:
                Lock = null;
                break;
            case RecordSigned signed:
                Signatures.Add(new ChartSignature(eventId, signed.Signer, signed.SignedAt, signed.Meaning, signed.CoversVersion, null));
                break;
            case ClinicalFact fact:
                Facts.Add(new ChartEntry(eventId, version, fact, Corrected: false));
                break;
            case FactCorrected correction:
                CorrectionEvents.Add(eventId);
                var index = IndexOf(correction.EventId);
                // The replacement takes the original's place, so order-dependent rules read it where it was.
                if (index >= 0) Facts[index] = Facts[index] with { Fact = correction.Replacement, Corrected = true };
                break;
            case FactRetracted retraction:
                CorrectionEvents.Add(eventId);
                var gone = IndexOf(retraction.EventId);
                if (gone >= 0) Facts.RemoveAt(gone);
                Retracted.Add(retraction.EventId);
                break;
        }
    }

    void Supersede(Guid eventId)
    {
        for (var i = 0; i < Signatures.Count; i++)
            if (Signatures[i].SupersededBy is null) Signatures[i] = Signatures[i] with { SupersededBy = eventId };
    }

    public int IndexOf(Guid eventId) => Facts.FindIndex(f => f.EventId == eventId);

    public T? Find<T>() where T : ClinicalFact => Facts.Select(f => f.Fact).OfType<T>().FirstOrDefault();

    public IEnumerable<T> All<T>() where T : ClinicalFact => Facts.Select(f => f.Fact).OfType<T>();

    /// <summary>The last started line without an end, in one pass over the facts (not every end searched for every start).</summary>
    TreatmentLineStarted? OpenLine()
    {
        var ended = All<TreatmentLineEnded>().Select(e => e.Line).ToHashSet();
        return All<TreatmentLineStarted>().LastOrDefault(s => !ended.Contains(s.Line));
    }

    /// <summary>True when the line was started with an mTKI among its agents; one pass over the facts.</summary>
    public bool IsMtkiLine(int line)
    {
        foreach (var entry in Facts)
            if (entry.Fact is TreatmentLineStarted s && s.Line == line && KinaseInhibitors.AnyMtki(s.Agents)) return true;
        return false;
    }
}
