using Timeline.Recording;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// The refusals of a FHIR import, RFC 9457 problem details like every route's: <c>errors</c> is keyed by the
/// resource ("entry[3] Observation/resp-1", or "body" / "Bundle" for the bundle as a whole), each message starting
/// with the FHIR element; <c>resource</c>, <c>element</c> (and <c>rule</c> for a clinical rule) name the first.
/// </summary>
public static class FhirImportProblems
{
    public static IResult Unreadable(IReadOnlyList<BundleRefusal> refusals, string title = "The bundle cannot be imported.")
    {
        var errors = refusals.GroupBy(r => r.Resource)
            .ToDictionary(g => g.Key, g => g.Select(r => $"{r.Element}: {r.Message}").ToArray());
        var first = refusals[0];
        return Results.ValidationProblem(errors, detail: string.Join(" ", refusals.Select(r => r.Resource == r.Element ? $"{r.Resource}: {r.Message}" : $"{r.Resource} {r.Element}: {r.Message}")),
            title: title, extensions: new Dictionary<string, object?>
            {
                ["resource"] = first.Resource,
                ["element"] = first.Element,
                ["problems"] = refusals.Select(r => new { r.Resource, r.Element, r.Message }).ToList(),
            });
    }

    /// <summary>A fact that breaks a clinical rule: the rule's name as the routes give it (type urn:timeline:rule:…).</summary>
    public static IResult RuleBroken(BundleFact fact, RuleViolation violation)
    {
        var (resource, element) = fact.Locate(violation.Field);
        var message = $"{element}: {violation.Message}";
        return Results.ValidationProblem(new Dictionary<string, string[]> { [resource.Label] = [message] },
            detail: $"{resource.Label} {message} (rule {violation.Rule})", title: "A clinical rule is broken.",
            type: $"urn:timeline:rule:{violation.Rule}",
            extensions: new Dictionary<string, object?> { ["rule"] = violation.Rule, ["resource"] = resource.Label, ["element"] = element });
    }
}
