using Marten;
using Wolverine.Http;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// The cohort as FHIR R4 NDJSON, as a FHIR Bulk Data export writes it: one file per resource type, one resource per
/// line, zipped with manifest.json. Each file reads the charts a page at a time (<see cref="ExportCharts"/>), so
/// memory holds one page, and the zip streams entry by entry.
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
        return (new ExportPackage("fhir", "ndjson", source,
            ResourceTypes.Select(type => new ExportFile($"{type}.ndjson", (s, token) => WriteAsync(store, source, type, s, token))).ToList()), null);
    }

    static readonly byte[] LineEnd = "\n"u8.ToArray();

    static async Task WriteAsync(IDocumentStore store, ExportSource source, string type, Stream output, CancellationToken ct)
    {
        await foreach (var chart in ExportCharts.ReadAsync(store, source, ct))
            foreach (var resource in FhirResources.Of(chart).Where(r => r.TypeName == type))
            {
                // Serialised to memory first: the response and the zip take asynchronous writes only.
                await output.WriteAsync(FhirJson.Bytes(resource), ct);
                await output.WriteAsync(LineEnd, ct);
            }
    }
}
