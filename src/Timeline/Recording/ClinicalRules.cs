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
    // Every check below reads the chart in a constant number of passes, none nested: a check is linear in the
    // patient's facts, so a whole history is checked in quadratic time at worst, whatever its arrangement. (Nested
    // look-ups, such as "was the line this fact names started before it?" asked for every fact at every line
    // start, made crafted 2,000-fact histories cubic: 1,000 events/s at import.) The facts are read from one pooled
    // array of references per check (FactList), not from lists rebuilt for each rule.

    public static RuleViolation? CheckRecording(PatientChart chart, ClinicalFact fact, DateOnly today)
    {
        using var facts = FactList.Of(chart.Facts, replaceAt: chart.Facts.Count, fact);
        return Check(facts, facts.Count - 1, today);
    }

    public static RuleViolation? CheckReplacement(PatientChart chart, int index, ClinicalFact replacement, DateOnly today)
    {
        using var facts = FactList.Of(chart.Facts, replaceAt: index, replacement);
        return Check(facts, index, today);
    }

    /// <summary>
    /// Removing a fact can only break the facts that need it: a diagnosis is needed by every clinical fact, a line
    /// start by whatever names its line. Every other rule forbids something, and removing a fact adds nothing.
    /// So only those facts are checked again, not the whole chart (the chart passed every rule before).
    /// </summary>
    public static RuleViolation? CheckRetraction(PatientChart chart, int index, DateOnly today)
    {
        var removed = chart.Facts[index].Fact;
        using var facts = FactList.Of(chart.Facts, removeAt: index);
        for (var i = 0; i < facts.Count; i++)
        {
            var fact = facts[i];
            var needsIt = removed switch
            {
                DiagnosisRecorded => fact is not PatientEnrolled,
                TreatmentLineStarted start => LineNamedBy(fact) == start.Line,
                _ => false,
            };
            if (needsIt && Check(facts, i, today) is { } broken)
                return new RuleViolation("eventId", broken.Rule,
                    $"Retracting it would leave the chart inconsistent: {broken.Message} Correct it with a replacement instead.");
        }
        return null;
    }

    /// <summary>Checks the fact at <paramref name="k"/> against all the others; null when it is admissible.</summary>
    public static RuleViolation? Check(IReadOnlyList<ChartEntry> facts, int k, DateOnly today)
    {
        using var list = FactList.Of(facts);
        return Check(list, k, today);
    }

    static RuleViolation? Check(FactList facts, int k, DateOnly today)
    {
        var fact = facts[k];
        var field = DateField(fact);

        if (fact is PatientEnrolled enrolled) return CheckEnrolment(facts, enrolled, k, today);
        if (fact.ClinicalDate > today)
            return new(field, "not-in-future", $"{field} {fact.ClinicalDate:yyyy-MM-dd} is in the future.");
        if (facts.EnrolmentOtherThan(k) is { } patient && fact.ClinicalDate < patient.BirthDate)
            return new(field, "after-birth", $"{field} {fact.ClinicalDate:yyyy-MM-dd} is before the birth date {patient.BirthDate:yyyy-MM-dd}.");

        return CheckDiagnosis(facts, k, fact, field)
            ?? CheckDeath(facts, k, fact, field)
            ?? CheckLines(facts, k, fact);
    }

    static RuleViolation? CheckEnrolment(FactList facts, PatientEnrolled enrolled, int k, DateOnly today)
    {
        if (k != 0 || facts.EnrolmentOtherThan(k) is not null)
            return new("patientId", "enrolled-once", "The patient is already enrolled.");
        if (enrolled.BirthDate > today)
            return new("birthDate", "not-in-future", $"birthDate {enrolled.BirthDate:yyyy-MM-dd} is in the future.");
        if (facts.FirstOther(k, o => o.ClinicalDate < enrolled.BirthDate) is { } earlier)
            return new("birthDate", "after-birth",
                $"birthDate {enrolled.BirthDate:yyyy-MM-dd} is after the recorded {Describe(earlier)} on {earlier.ClinicalDate:yyyy-MM-dd}.");
        return null;
    }

    static RuleViolation? CheckDiagnosis(FactList facts, int k, ClinicalFact fact, string field)
    {
        if (fact is DiagnosisRecorded diagnosis)
        {
            if (facts.DiagnosisOtherThan(k) is not null)
                return new("date", "diagnosis-once", "A diagnosis is already recorded: correct it instead of recording another.");
            if (facts.FirstBefore(k, f => f is not PatientEnrolled) is not null)
                return new("date", "diagnosis-first", "Clinical facts are recorded before this diagnosis.");
            if (facts.FirstOther(k, o => o is not PatientEnrolled && o.ClinicalDate < diagnosis.Date) is { } earlier)
                return new("date", "not-before-diagnosis",
                    $"date {diagnosis.Date:yyyy-MM-dd} is after the recorded {Describe(earlier)} on {earlier.ClinicalDate:yyyy-MM-dd}.");
            return null;
        }
        var recorded = facts.DiagnosisBefore(k);
        if (recorded is null)
            return new(field, "diagnosis-first", "A diagnosis must be recorded before any other clinical fact.");
        if (fact.ClinicalDate < recorded.Date)
            return new(field, "not-before-diagnosis",
                $"{field} {fact.ClinicalDate:yyyy-MM-dd} is before the diagnosis on {recorded.Date:yyyy-MM-dd}.");
        return null;
    }

    static RuleViolation? CheckDeath(FactList facts, int k, ClinicalFact fact, string field)
    {
        if (fact is DeathRecorded death)
        {
            if (facts.DeathOtherThan(k) is not null)
                return new("date", "death-once", "A death is already recorded: correct it instead of recording another.");
            if (facts.FirstOther(k, o => o is not PatientEnrolled && o.ClinicalDate > death.Date) is { } later)
                return new("date", "nothing-after-death",
                    $"date {death.Date:yyyy-MM-dd} is before the recorded {Describe(later)} on {later.ClinicalDate:yyyy-MM-dd}.");
            return null;
        }
        if (facts.DeathOtherThan(k) is { } recorded && fact.ClinicalDate > recorded.Date)
            return new(field, "nothing-after-death",
                $"{field} {fact.ClinicalDate:yyyy-MM-dd} is after the recorded death on {recorded.Date:yyyy-MM-dd}.");
        return null;
    }

    static RuleViolation? CheckLines(FactList facts, int k, ClinicalFact fact)
    {
        TreatmentLineStarted? StartedBefore(int line, int position) => facts.FirstBefore(position, f => f is TreatmentLineStarted s && s.Line == line) as TreatmentLineStarted;

        switch (fact)
        {
            case TreatmentLineStarted start:
                if (start.Line < 1)
                    return new("line", "line-order", "line must be 1 or more.");
                if (facts.FirstOther(k, f => f is TreatmentLineStarted s && s.Line == start.Line) is TreatmentLineStarted same)
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
                if (facts.FirstOther(k, f => f is TreatmentLineStarted s && s.Line == start.Line + 1 && s.StartDate < start.StartDate) is TreatmentLineStarted next)
                    return new("startDate", "line-order",
                        $"startDate {start.StartDate:yyyy-MM-dd} is after the start of line {next.Line} on {next.StartDate:yyyy-MM-dd}.");
                if (facts.FirstOther(k, f => f is TreatmentLineEnded e && e.Line == start.Line && e.Date < start.StartDate) is TreatmentLineEnded end)
                    return new("startDate", "end-after-start",
                        $"startDate {start.StartDate:yyyy-MM-dd} is after the recorded end of line {start.Line} on {end.Date:yyyy-MM-dd}.");
                // A replacement may renumber a line: whatever names a line must still find it started before it.
                // One pass in order, keeping the lines started so far (not a search back from every fact).
                var started = new HashSet<int>();
                for (var i = 0; i < facts.Count; i++)
                {
                    var other = facts[i];
                    if (i != k && LineNamedBy(other) is { } named && !started.Contains(named))
                        return new("line", "line-exists", $"The recorded {Describe(other)} would name a line that has not started.");
                    if (other is TreatmentLineStarted s) started.Add(s.Line);
                }
                return null;

            case TreatmentLineEnded ended:
                var opened = StartedBefore(ended.Line, k);
                if (opened is null)
                    return new("line", "line-exists", $"Line {ended.Line} has not started.");
                if (facts.FirstOther(k, f => f is TreatmentLineEnded e && e.Line == ended.Line) is TreatmentLineEnded earlierEnd)
                    return new("line", "line-ends-once", $"Line {ended.Line} has already ended on {earlierEnd.Date:yyyy-MM-dd}.");
                if (ended.Date < opened.StartDate)
                    return new("date", "end-after-start",
                        $"date {ended.Date:yyyy-MM-dd} is before the start of line {ended.Line} on {opened.StartDate:yyyy-MM-dd}.");
                return null;

            case ResponseAssessed or AdverseEventRecorded:
                var line = LineNamedBy(fact);
                if (line is not null && !facts.AnyBefore(k, f => f is TreatmentLineStarted s && s.Line == line))
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
