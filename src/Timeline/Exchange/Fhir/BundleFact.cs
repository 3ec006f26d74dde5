using Timeline.Projections.Events;

namespace Timeline.Exchange.Fhir;

/// <summary>A resource of the bundle: its place ("entry[3]"), its type and its id, as every refusal names it.</summary>
public sealed record BundleResource(int Entry, string Type, string? Id)
{
    /// <summary>"entry[3] Observation/resp-1" (the id is left out when the resource has none).</summary>
    public string Label => $"entry[{Entry}] {Type}{(string.IsNullOrEmpty(Id) ? "" : "/" + Id)}";
}

/// <summary>Why a bundle is refused: the resource, its element, what is wrong, and the clinical rule when one is broken.</summary>
public sealed record BundleRefusal(string Resource, string Element, string Message, string? Rule = null);

/// <summary>
/// One fact read from the bundle, with the resources it was read from (a treatment line from one
/// MedicationAdministration per agent, a death from the Patient) and where each of the request's fields sits
/// in FHIR, so a broken rule names the resource and the element, not the API's field.
/// </summary>
public sealed record BundleFact(ClinicalFact Fact, IReadOnlyList<BundleResource> Resources, IReadOnlyDictionary<string, string> Elements)
{
    /// <summary>The event's source header: "POST /api/import/fhir entry[3]" (several entries for a line of several agents).</summary>
    public string Source => $"{FhirImport.Route} {string.Join(", ", Resources.Select(r => $"entry[{r.Entry}]"))}";

    /// <summary>The resource and element of one of the request's fields ("agents[1]" is the line's second agent).</summary>
    public (BundleResource Resource, string Element) Locate(string field)
    {
        var name = field;
        var resource = Resources[0];
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0)
        {
            name = field[..bracket];
            if (int.TryParse(field[(bracket + 1)..^1], out var i) && i >= 0 && i < Resources.Count) resource = Resources[i];
        }
        return (resource, Elements.TryGetValue(name, out var element) ? element : name);
    }
}

/// <summary>A bundle read whole: the patient id and the facts in the order they are recorded.</summary>
public sealed record ReadBundle(string PatientId, IReadOnlyList<BundleFact> Facts);
