using Marten;
using Wolverine.Http;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// The cohort as FHIR R4 NDJSON, as a FHIR Bulk Data export writes it: one file per resource type, one resource per
/// line, zipped with manifest.json. The charts are read once, a page at a time (<see cref="ExportCharts"/>), so memory
/// holds one page; the other types wait in temporary files while the first streams (<see cref="FhirBulkPass"/>).
/// </summary>
public static class FhirBulkExport
{
    /// <summary>The resource types, in the zip's order; each is its own file, {type}.ndjson.</summary>
    public static readonly IReadOnlyList<string> ResourceTypes = ["Patient", "Condition", "MedicationAdministration", "Observation", "AdverseEvent"];

    [WolverineGet("/api/exports/fhir", OperationId = "ExportFhir")]
    public static async Task<IResult> Get(string? histology, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var package = await PackageAsync(histology, asOf, store, clock, ct);
        return package.Problem ?? new ZipExportResult(package.Package!, "fhir-ndjson.zip", clock);
    }

    public static async Task<(ExportPackage? Package, IResult? Problem)> PackageAsync(string? histology, string? asOf,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var query = ExportQuery.Parse(histology, asOf, out var problem);
        if (query is null) return (null, problem);
        var source = await ExportSource.LoadAsync(store, query, clock, ct);
        var pass = new FhirBulkPass(token => ResourcesAsync(store, source, token), ResourceTypes);
        return (new ExportPackage("fhir", "ndjson", source,
            ResourceTypes.Select(type => new ExportFile($"{type}.ndjson", (s, token) => pass.WriteAsync(type, s, token))).ToList()), null);
    }

    static async IAsyncEnumerable<Hl7.Fhir.Model.Resource> ResourcesAsync(IDocumentStore store, ExportSource source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chart in ExportCharts.ReadAsync(store, source, ct))
            foreach (var resource in FhirResources.Of(chart))
                yield return resource;
    }
}
