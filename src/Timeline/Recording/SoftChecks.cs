using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Recording;

/// <summary>
/// Checks that flag what is unusual but possible: a clinician may record the fact anyway by naming the rule in
/// <c>override.rules</c> with a reason, which the event keeps. They run after the clinical rules (ClinicalRules),
/// which are hard: those are never overridable. They judge the fact being recorded (or a correction's replacement)
/// against the rest of the chart, not the other facts again.
/// </summary>
public static class SoftChecks
{
    public const string ResponseLate = "response-late";
    public const string GradeFiveWithoutDeath = "grade-5-without-death";

    /// <summary>A response this long after its line started is more likely a wrong line or a typing error in a date.</summary>
    public const int LateResponseYears = 3;

    /// <summary>The soft checks by name, with what each flags (the README's table).</summary>
    public static readonly IReadOnlyDictionary<string, string> Rules = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ResponseLate] = $"a response assessed more than {LateResponseYears} years after its line started",
        [GradeFiveWithoutDeath] = "an adverse event of grade 5 (death) on a patient with no death recorded",
    };

    /// <summary>The hard rules' names (ClinicalRules): named in an override, they are refused, never skipped.</summary>
    public static readonly IReadOnlySet<string> HardRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "not-in-future", "after-birth", "enrolled-once", "diagnosis-once", "diagnosis-first", "not-before-diagnosis",
        "death-once", "nothing-after-death", "line-order", "line-once", "end-after-start", "line-exists", "line-ends-once",
    };

    /// <summary>The soft checks <paramref name="fact"/> fails against <paramref name="others"/> (the chart's other active facts).</summary>
    public static List<RuleViolation> Check(IEnumerable<ClinicalFact> others, ClinicalFact fact)
    {
        var failed = new List<RuleViolation>();
        switch (fact)
        {
            case ResponseAssessed response:
                var start = others.OfType<TreatmentLineStarted>().FirstOrDefault(s => s.Line == response.Line);
                if (start is not null && response.Date > start.StartDate.AddYears(LateResponseYears))
                    failed.Add(new("date", ResponseLate,
                        $"date {response.Date:yyyy-MM-dd} is more than {LateResponseYears} years after line {response.Line} started on {start.StartDate:yyyy-MM-dd}."));
                break;
            case AdverseEventRecorded { Grade: 5 } when !others.OfType<DeathRecorded>().Any():
                failed.Add(new("grade", GradeFiveWithoutDeath, "grade 5 means the adverse event caused death, but no death is recorded for this patient."));
                break;
        }
        return failed;
    }

    /// <summary>The refusal for the soft checks the fact fails and its override does not name; null when none.</summary>
    public static IResult? Refusal(IEnumerable<ClinicalFact> others, ClinicalFact fact, string prefix = "")
    {
        var overridden = fact.Override?.Rules ?? [];
        var open = Check(others, fact).Where(v => !overridden.Contains(v.Rule)).ToList();
        return open.Count == 0 ? null : Problems.SoftChecksFailed(open.Select(v => v with { Field = prefix + v.Field }).ToList());
    }

    /// <summary>For a new fact: the chart's active facts. For a replacement: every other one (the original is replaced).</summary>
    public static IEnumerable<ClinicalFact> Others(PatientChart chart, int? replacing = null) =>
        chart.Facts.Where((_, i) => i != replacing).Select(f => f.Fact);

    /// <summary>Reads a body's <c>override</c>: soft checks by name (at least one, no hard rule) and a reason under the text policy.</summary>
    public static SoftCheckOverride? ReadOverride(OverrideRequest? request, FieldErrors errors)
    {
        if (request is null) return null;
        var rules = new List<string>();
        if (request.Rules is null || request.Rules.Count == 0)
            errors.Add("override.rules", $"override.rules must name at least one soft check: {string.Join(", ", Rules.Keys)}.");
        else
            for (var i = 0; i < request.Rules.Count; i++)
            {
                var rule = request.Rules[i];
                var field = $"override.rules[{i}]";
                if (rule is not null && Rules.ContainsKey(rule))
                {
                    if (rules.Contains(rule)) errors.Add(field, $"{errors.Name(field)}: '{rule}' is named twice.");
                    else rules.Add(rule);
                }
                else if (rule is not null && HardRules.Contains(rule))
                    errors.Add(field, $"'{rule}' is a clinical rule, not a soft check: it is never overridable.");
                else
                    errors.Add(field, $"{errors.Name(field)} is not a soft check: expected one of {string.Join(", ", Rules.Keys)}.");
            }
        var reason = errors.Text(request.Reason, "override.reason", FieldErrors.MaxReason);
        return new SoftCheckOverride(rules, reason);
    }
}
