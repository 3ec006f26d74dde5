using System.Globalization;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Tests.Patients;

/// <summary>
/// Builds one patient's stream as the store would hand it back: each fact gets a fresh event id, the next
/// stream version (1, 2, 3 …) and a sequence, in the order written. No database: <see cref="Chart"/>
/// replays the list through <see cref="PatientChart.Replay"/> exactly as a decision or a projection does.
/// </summary>
public sealed class ChartBuilder(string patientId = "SARC-001")
{
    /// <summary>Where this builder's sequences start; far from 0 so sequence and version are never confused.</summary>
    const long FirstSequence = 1000;

    readonly List<(Guid EventId, long Version, long Sequence, object Data)> events = [];

    public string PatientId { get; } = patientId;

    public IReadOnlyList<(Guid EventId, long Version, long Sequence, object Data)> Events => events;

    /// <summary>The id of the event appended last.</summary>
    public Guid LastId => events[^1].EventId;

    /// <summary>The chart with every event so far applied.</summary>
    public PatientChart Chart => PatientChart.Replay(PatientId, events);

    /// <summary>The chart as it stood after the first <paramref name="count"/> events (an earlier moment).</summary>
    public PatientChart ChartAfter(int count) => PatientChart.Replay(PatientId, events.Take(count));

    public PatientTimeline Timeline => PatientTimeline.From(Chart);

    public Guid EnrolmentId => Single<PatientEnrolled>();

    public Guid DiagnosisId => Single<DiagnosisRecorded>();

    public Guid DeathId => Single<DeathRecorded>();

    public Guid LineStartId(int line) =>
        events.Single(e => e.Data is TreatmentLineStarted s && s.Line == line).EventId;

    public Guid LineEndId(int line) =>
        events.Single(e => e.Data is TreatmentLineEnded x && x.Line == line).EventId;

    /// <summary>The ids of the events of one kind, in the order they were written (original facts only).</summary>
    public IReadOnlyList<Guid> IdsOf<T>() => [.. events.Where(e => e.Data is T).Select(e => e.EventId)];

    /// <summary>The <paramref name="n"/>th (from 0) event of one kind.</summary>
    public Guid IdOf<T>(int n = 0) => IdsOf<T>()[n];

    public ChartBuilder Append(object data)
    {
        var version = events.Count + 1L;
        events.Add((Guid.NewGuid(), version, FirstSequence + version, data));
        return this;
    }

    public ChartBuilder Enrol(DateOnly birthDate, Sex sex = Sex.Female) => Append(new PatientEnrolled(birthDate, sex));

    public ChartBuilder Diagnose(DateOnly date, string histology = "9180/3", string? primarySite = "femur", bool? metastatic = false) =>
        Append(new DiagnosisRecorded(date, histology, primarySite, metastatic));

    /// <summary>Starts a line; without agents it is a doxorubicin line (chemotherapy, not an mTKI).</summary>
    public ChartBuilder StartLine(int line, DateOnly start, params string[] agents) =>
        Append(new TreatmentLineStarted(line, start, Regimen: null, agents.Length == 0 ? ["doxorubicin"] : agents));

    public ChartBuilder EndLine(int line, DateOnly date, LineEndReason reason = LineEndReason.Completed) =>
        Append(new TreatmentLineEnded(line, date, reason));

    public ChartBuilder Assess(int line, DateOnly date, RecistCategory category) =>
        Append(new ResponseAssessed(date, line, category));

    public ChartBuilder Progress(DateOnly date) => Append(new ProgressionRecorded(date));

    public ChartBuilder Relapse(DateOnly date) => Append(new RelapseRecorded(date));

    public ChartBuilder AdverseEvent(DateOnly date, int? line, string term = "Neutrophil count decreased", int grade = 3) =>
        Append(new AdverseEventRecorded(date, line, term, grade));

    public ChartBuilder FollowUp(DateOnly date) => Append(new FollowUpRecorded(date));

    public ChartBuilder Die(DateOnly date, DeathCause? cause = DeathCause.Disease) => Append(new DeathRecorded(date, cause));

    public ChartBuilder Correct(Guid eventId, ClinicalFact replacement, string reason = "Transcription error") =>
        Append(new FactCorrected(eventId, reason, replacement));

    public ChartBuilder Retract(Guid eventId, string reason = "Recorded in the wrong patient") =>
        Append(new FactRetracted(eventId, reason));

    Guid Single<T>() => events.Single(e => e.Data is T).EventId;
}

/// <summary>Calendar dates written as clinicians write them, so a test reads like a chart.</summary>
public static class TestDates
{
    public static DateOnly D(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
