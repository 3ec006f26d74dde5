using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// Reads a request body as a FHIR R4 Bundle with the Firely SDK in strict mode: an element FHIR does not define,
/// a value of the wrong type or an invalid primitive (a date such as 2021-02-30) refuses the whole body, so nothing
/// a sender wrote is silently dropped on the way in.
/// </summary>
public static partial class FhirBundleJson
{
    static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    /// <summary>A key given twice is refused, as in every JSON route (the last one would otherwise win unseen).</summary>
    static readonly JsonDocumentOptions Document = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The bundle, or null with the refusals (each naming its resource and element when it has one).</summary>
    public static Bundle? Parse(ReadOnlyMemory<byte> utf8, out IReadOnlyList<BundleRefusal> problems)
    {
        problems = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, Document);
        }
        catch (JsonException e)
        {
            problems = [new BundleRefusal("body", "body", e.Message.Contains("uplicate", StringComparison.Ordinal)
                ? $"The body is not valid JSON: a property is given more than once ({e.Path})."
                : "The body is not valid JSON.")];
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() : null;
            if (type != "Bundle")
            {
                problems = [new BundleRefusal("body", "resourceType",
                    $"The body is not a FHIR Bundle (resourceType is {(type is null ? "missing" : $"'{type}'")}): send the patient's Bundle, type collection.")];
                return null;
            }

            var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (Strict.TryDeserializeResource(ref reader, out var resource, out var issues) && resource is Bundle bundle) return bundle;
            problems = issues.Select(issue => Describe(issue, root)).DefaultIfEmpty(new BundleRefusal("body", "body", "The body is not a valid FHIR Bundle.")).ToList();
            return null;
        }
    }

    /// <summary>"Bundle.entry[3].resource.valueQuantity" → resource "entry[3] Observation/x", element "valueQuantity".</summary>
    static BundleRefusal Describe(CodedException issue, JsonElement root)
    {
        var path = (issue as ExtendedCodedException)?.InstancePath ?? "";
        var message = (issue as ExtendedCodedException)?.BaseErrorMessage ?? issue.Message;
        var match = EntryPath().Match(path);
        if (!match.Success) return new BundleRefusal("Bundle", path.Length == 0 ? "body" : path, message);
        var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var label = $"entry[{index}]";
        if (root.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array && index < entries.GetArrayLength()
            && entries[index].TryGetProperty("resource", out var resource) && resource.ValueKind == JsonValueKind.Object)
        {
            var type = resource.TryGetProperty("resourceType", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            var id = resource.TryGetProperty("id", out var ri) && ri.ValueKind == JsonValueKind.String ? ri.GetString() : null;
            label = new BundleResource(index, type ?? "(unknown)", id).Label;
        }
        var element = match.Groups[2].Value.TrimStart('.');
        return new BundleRefusal(label, element.Length == 0 ? "resource" : element, message);
    }

    [GeneratedRegex(@"^Bundle\.entry\[(\d+)\](?:\.resource)?(.*)$")]
    private static partial Regex EntryPath();
}
