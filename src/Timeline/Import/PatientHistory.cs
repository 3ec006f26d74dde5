using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Recording;

namespace Timeline.Import;

/// <summary>One patient's facts from an import, checked in file order exactly as the recording routes would check them.</summary>
public sealed class PatientHistory(string? patientId)
{
    /// <summary>
    /// The rules compare each fact with every earlier one, so a history's cost grows with its square; real
    /// histories have tens of facts. A patient beyond this is refused, not held in memory.
    /// </summary>
    public const int MaxFacts = 2_000;

    readonly List<long> lines = [];
    readonly List<ImportLine> collected = [];
    long lastCollected;
    readonly List<ClinicalFact> facts = [];
    PatientChart? chart;

    public string? PatientId { get; } = patientId;
    public IReadOnlyList<long> Lines => lines;
    public IReadOnlyList<ClinicalFact> Facts => facts;
    public long FirstLine => lines.Count == 0 ? 0 : lines[0];

    /// <summary>Why the patient is refused, once one of its lines failed; later lines are only counted.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Lines read and waiting for <see cref="CheckCollected"/> (which may run on another thread).</summary>
    public int Collected => collected.Count;

    /// <summary>Keeps the next line of this patient for checking later; past the limit only its number is kept.</summary>
    public void Collect(ImportLine line)
    {
        lastCollected = line.Number;
        if (collected.Count <= MaxFacts) collected.Add(line);
    }

    /// <summary>Checks the collected lines in order, as <see cref="Add"/> would have one by one.</summary>
    public void CheckCollected(DateOnly today)
    {
        foreach (var line in collected) Add(line, today);
        if (collected.Count > MaxFacts && lastCollected > collected[^1].Number)
            Refuse($"more than {MaxFacts} facts (lines {collected[0].Number}–{lastCollected}); split the history or record the rest through the API.");
        collected.Clear();
    }

    /// <summary>Adds the next line of this patient: its field checks, then the clinical rules against the chart so far.</summary>
    public void Add(ImportLine line, DateOnly today)
    {
        if (lines.Count < MaxFacts) lines.Add(line.Number);
        if (Refusal is not null) return;
        if (facts.Count >= MaxFacts)
        {
            Refuse($"more than {MaxFacts} facts (line {line.Number}); split the history or record the rest through the API.");
            return;
        }
        if (line.Error is not null)
        {
            Refuse($"line {line.Number}{Kind(line)}: {line.Error}");
            return;
        }
        var fact = line.Fact!;
        if (facts.Count == 0 && !line.IsEnrolment)
        {
            Refuse($"line {line.Number}{Kind(line)}: the patient's first fact must be its enrolment "
                + "(a patient's facts must be contiguous in the file, enrolment first).");
            return;
        }
        chart ??= new PatientChart { Id = PatientId ?? "" };
        if (ClinicalRules.CheckRecording(chart, fact, today) is { } broken)
        {
            Refuse($"line {line.Number}{Kind(line)}: {broken.Message} (rule {broken.Rule}, field {broken.Field})");
            return;
        }
        facts.Add(fact);
        chart.Apply(Guid.Empty, facts.Count, 0, fact);
    }

    public void Refuse(string reason)
    {
        Refusal ??= reason;
        facts.Clear();
        chart = null;
    }

    static string Kind(ImportLine line) => line.Type is null ? "" : $" ({line.Type})";
}
