using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Recording;

/// <summary>A broken rule: the request field it concerns, a stable rule name, and a sentence for the user.</summary>
public sealed record RuleViolation(string Field, string Rule, string Message);

/// <summary>
/// The rules a new fact must respect (DOMAIN.md). A fact is checked in place, against every other active
/// fact of the chart, so the same code judges a new fact (appended last), a correction's replacement (in
/// the original's place) and a retraction (every remaining fact, once the retracted one is gone).
/// </summary>
public static class ClinicalRules
{
    public static RuleViolation? CheckRecording(PatientChart chart, ClinicalFact fact, DateOnly today)
    {
        var facts = chart.Facts.Append(new ChartEntry(Guid.Empty, chart.Version + 1, fact, false)).ToList();
        return Check(facts, facts.Count - 1, today);
    }

    public static RuleViolation? CheckReplacement(PatientChart chart, int index, ClinicalFact replacement, DateOnly today)
    {
        var facts = chart.Facts.ToList();
        facts[index] = facts[index] with { Fact = replacement };
        return Check(facts, index, today);
    }

    public static RuleViolation? CheckRetraction(PatientChart chart, int index, DateOnly today)
    {
        var facts = chart.Facts.ToList();
        facts.RemoveAt(index);
        for (var i = 0; i < facts.Count; i++)
        {
            if (Check(facts, i, today) is { } broken)
                return new RuleViolation("eventId", broken.Rule,
                    $"Retracting it would leave the chart inconsistent: {broken.Message} Correct it with a replacement instead.");
        }
        return null;
    }

    /// <summary>Checks the fact at <paramref name="k"/> against all the others; null when it is admissible.</summary>
    public static RuleViolation? Check(IReadOnlyList<ChartEntry> facts, int k, DateOnly today)
    {
        var fact = facts[k].Fact;
        var others = facts.Where((_, i) => i != k).Select(f => f.Fact).ToList();
        var field = DateField(fact);

        if (fact is PatientEnrolled enrolled) return CheckEnrolment(enrolled, k, others, today);
        if (fact.ClinicalDate > today)
            return new(field, "not-in-future", $"{field} {fact.ClinicalDate:yyyy-MM-dd} is in the future.");
        if (others.OfType<PatientEnrolled>().FirstOrDefault() is { } patient && fact.ClinicalDate < patient.BirthDate)
            return new(field, "after-birth", $"{field} {fact.ClinicalDate:yyyy-MM-dd} is before the birth date {patient.BirthDate:yyyy-MM-dd}.");

        return CheckDiagnosis(facts, k, fact, field, others)
            ?? CheckDeath(fact, field, others)
            ?? CheckLines(facts, k, fact);
    }

    static RuleViolation? CheckEnrolment(PatientEnrolled enrolled, int k, List<ClinicalFact> others, DateOnly today)
    {
        if (k != 0 || others.OfType<PatientEnrolled>().Any())
            return new("patientId", "enrolled-once", "The patient is already enrolled.");
        if (enrolled.BirthDate > today)
            return new("birthDate", "not-in-future", $"birthDate {enrolled.BirthDate:yyyy-MM-dd} is in the future.");
        if (others.FirstOrDefault(o => o.ClinicalDate < enrolled.BirthDate) is { } earlier)
            return new("birthDate", "after-birth",
                $"birthDate {enrolled.BirthDate:yyyy-MM-dd} is after the recorded {Describe(earlier)} on {earlier.ClinicalDate:yyyy-MM-dd}.");
        return null;
    }

    static RuleViolation? CheckDiagnosis(IReadOnlyList<ChartEntry> facts, int k, ClinicalFact fact, string field, List<ClinicalFact> others)
    {
        if (fact is DiagnosisRecorded diagnosis)
        {
            if (others.OfType<DiagnosisRecorded>().Any())
                return new("date", "diagnosis-once", "A diagnosis is already recorded: correct it instead of recording another.");
            if (facts.Take(k).Any(f => f.Fact is not PatientEnrolled))
                return new("date", "diagnosis-first", "Clinical facts are recorded before this diagnosis.");
            if (others.FirstOrDefault(o => o is not PatientEnrolled && o.ClinicalDate < diagnosis.Date) is { } earlier)
                return new("date", "not-before-diagnosis",
                    $"date {diagnosis.Date:yyyy-MM-dd} is after the recorded {Describe(earlier)} on {earlier.ClinicalDate:yyyy-MM-dd}.");
            return null;
        }
        var recorded = facts.Take(k).Select(f => f.Fact).OfType<DiagnosisRecorded>().FirstOrDefault();
        if (recorded is null)
            return new(field, "diagnosis-first", "A diagnosis must be recorded before any other clinical fact.");
        if (fact.ClinicalDate < recorded.Date)
            return new(field, "not-before-diagnosis",
                $"{field} {fact.ClinicalDate:yyyy-MM-dd} is before the diagnosis on {recorded.Date:yyyy-MM-dd}.");
        return null;
    }

    static RuleViolation? CheckDeath(ClinicalFact fact, string field, List<ClinicalFact> others)
    {
        if (fact is DeathRecorded death)
        {
            if (others.OfType<DeathRecorded>().Any())
                return new("date", "death-once", "A death is already recorded: correct it instead of recording another.");
            if (others.FirstOrDefault(o => o is not PatientEnrolled && o.ClinicalDate > death.Date) is { } later)
                return new("date", "nothing-after-death",
                    $"date {death.Date:yyyy-MM-dd} is before the recorded {Describe(later)} on {later.ClinicalDate:yyyy-MM-dd}.");
            return null;
        }
        if (others.OfType<DeathRecorded>().FirstOrDefault() is { } recorded && fact.ClinicalDate > recorded.Date)
            return new(field, "nothing-after-death",
                $"{field} {fact.ClinicalDate:yyyy-MM-dd} is after the recorded death on {recorded.Date:yyyy-MM-dd}.");
        return null;
    }

    static RuleViolation? CheckLines(IReadOnlyList<ChartEntry> facts, int k, ClinicalFact fact)
    {
        TreatmentLineStarted? StartedBefore(int line, int position) =>
            facts.Take(position).Select(f => f.Fact).OfType<TreatmentLineStarted>().FirstOrDefault(s => s.Line == line);
        var others = facts.Where((_, i) => i != k).Select(f => f.Fact).ToList();

        switch (fact)
        {
            case TreatmentLineStarted start:
                if (start.Line < 1)
                    return new("line", "line-order", "line must be 1 or more.");
                if (others.OfType<TreatmentLineStarted>().FirstOrDefault(s => s.Line == start.Line) is { } same)
                    return new("line", "line-once", $"Line {start.Line} has already started on {same.StartDate:yyyy-MM-dd}.");
                if (start.Line > 1)
                {
                    var previous = StartedBefore(start.Line - 1, k);
                    if (previous is null)
                        return new("line", "line-order", $"Line {start.Line} cannot start before line {start.Line - 1} has started.");
                    if (start.StartDate < previous.StartDate)
                        return new("startDate", "line-order",
                            $"startDate {start.StartDate:yyyy-MM-dd} is before the start of line {start.Line - 1} on {previous.StartDate:yyyy-MM-dd}.");
                }
                if (others.OfType<TreatmentLineStarted>().FirstOrDefault(s => s.Line == start.Line + 1 && s.StartDate < start.StartDate) is { } next)
                    return new("startDate", "line-order",
                        $"startDate {start.StartDate:yyyy-MM-dd} is after the start of line {next.Line} on {next.StartDate:yyyy-MM-dd}.");
                if (others.OfType<TreatmentLineEnded>().FirstOrDefault(e => e.Line == start.Line && e.Date < start.StartDate) is { } end)
                    return new("startDate", "end-after-start",
                        $"startDate {start.StartDate:yyyy-MM-dd} is after the recorded end of line {start.Line} on {end.Date:yyyy-MM-dd}.");
                // A replacement may renumber a line: whatever names a line must still find it started before it.
                for (var i = 0; i < facts.Count; i++)
                {
                    if (i != k && LineNamedBy(facts[i].Fact) is { } named && StartedBefore(named, i) is null)
                        return new("line", "line-exists", $"The recorded {Describe(facts[i].Fact)} would name a line that has not started.");
                }
                return null;

            case TreatmentLineEnded ended:
                var started = StartedBefore(ended.Line, k);
                if (started is null)
                    return new("line", "line-exists", $"Line {ended.Line} has not started.");
                if (others.OfType<TreatmentLineEnded>().FirstOrDefault(e => e.Line == ended.Line) is { } earlierEnd)
                    return new("line", "line-ends-once", $"Line {ended.Line} has already ended on {earlierEnd.Date:yyyy-MM-dd}.");
                if (ended.Date < started.StartDate)
                    return new("date", "end-after-start",
                        $"date {ended.Date:yyyy-MM-dd} is before the start of line {ended.Line} on {started.StartDate:yyyy-MM-dd}.");
                return null;

            case ResponseAssessed or AdverseEventRecorded:
                var line = LineNamedBy(fact);
                if (line is not null && StartedBefore(line.Value, k) is null)
                    return new("line", "line-exists", $"Line {line} has not started.");
                return null;

            default:
                return null;
        }
    }

    /// <summary>The line a fact refers to (the previous line, for a line start that needs one).</summary>
    static int? LineNamedBy(ClinicalFact fact) => fact switch
    {
        TreatmentLineStarted s when s.Line > 1 => s.Line - 1,
        TreatmentLineEnded e => e.Line,
        ResponseAssessed r => r.Line,
        AdverseEventRecorded { Line: { } line } => line,
        _ => null,
    };

    public static string DateField(ClinicalFact fact) => fact switch
    {
        PatientEnrolled => "birthDate",
        TreatmentLineStarted => "startDate",
        _ => "date",
    };

    public static string Describe(ClinicalFact fact) => fact switch
    {
        PatientEnrolled => "enrolment",
        DiagnosisRecorded => "diagnosis",
        TreatmentLineStarted s => $"start of line {s.Line}",
        TreatmentLineEnded e => $"end of line {e.Line}",
        ResponseAssessed r => $"response assessment of line {r.Line}",
        ProgressionRecorded => "progression",
        RelapseRecorded => "relapse",
        AdverseEventRecorded => "adverse event",
        FollowUpRecorded => "follow-up",
        DeathRecorded => "death",
        _ => "fact",
    };
}
