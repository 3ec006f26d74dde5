using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Timeline.Tests.Exports;

/// <summary>
/// The Firely validator over the base FHIR R4 specification (Hl7.Fhir.Specification.Data.R4's specification.zip),
/// offline. The mCODE profiles are not in that archive, so each resource is validated explicitly against its base
/// type's StructureDefinition, and the mCODE claims in meta.profile are set aside (they could only be reported as
/// unresolvable, never checked): a pass means the base R4 rules hold, not that mCODE's do.
/// </summary>
public static class FhirValidation
{
    static readonly Lazy<Validator> Shared = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        var settings = new ValidationSettings
        {
            // Only the unresolvable mCODE claims are dropped; any other claim would still be resolved and checked.
            SelectValidationProfiles = (_, profiles, _, _) => profiles.Where(p => !p.ToString().StartsWith(Timeline.Exchange.Fhir.FhirTerms.McodeBase, StringComparison.Ordinal)).ToArray(),
        };
        return new Validator(resolver, new LocalTerminologyService(resolver), null, settings);
    });

    static readonly BaseFhirJsonDeserializer Deserializer = new(ModelInfo.ModelInspector);

    /// <summary>Parses FHIR JSON as the SDK does; a parse error fails the test.</summary>
    public static Resource Parse(string json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        Deserializer.TryDeserializeResource(ref reader, out var resource, out var issues).ShouldBeTrue(
            string.Join("; ", issues.Select(i => i.Message)));
        return resource!;
    }

    /// <summary>The error and fatal issues of validating the resource against its base R4 type, each as "location: message".</summary>
    public static List<string> Errors(Resource resource)
    {
        var outcome = Shared.Value.Validate(resource, ModelInfo.CanonicalUriForFhirCoreType(resource.TypeName).Value);
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}/{resource.Id} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")
            .ToList();
    }

    public static List<string> Warnings(Resource resource)
    {
        var outcome = Shared.Value.Validate(resource, ModelInfo.CanonicalUriForFhirCoreType(resource.TypeName).Value);
        return outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Warning)
            .Select(i => $"{resource.TypeName}/{resource.Id} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}").ToList();
    }
}
