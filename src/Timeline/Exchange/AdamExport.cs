using Marten;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Exchange;

/// <summary>The ADaM-shaped data sets ADSL and ADTTE, as CSV, CDISC Dataset-JSON 1.1 or SAS transport (XPT v5).</summary>
public static class AdamExport
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "dataset-json", "xpt"];

    [WolverineGet("/api/exports/adam", OperationId = "ExportAdam")]
    public static async Task<IResult> Get(string? histology, string? asOf, string? format, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var package = await PackageAsync(histology, asOf, format, store, clock, ct);
        return package.Problem ?? new ZipExportResult(package.Package!, $"adam-{package.Package!.Format}.zip", clock);
    }

    /// <summary>The export for these parameters, or the problem with them.</summary>
    public static async Task<(ExportPackage? Package, IResult? Problem)> PackageAsync(string? histology, string? asOf, string? format,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var name = string.IsNullOrWhiteSpace(format) ? "csv" : format.Trim().ToLowerInvariant();
        if (!Formats.Contains(name))
            return (null, Problems.Invalid("format", $"format '{format}' must be one of {string.Join(", ", Formats)}."));
        var query = ExportQuery.Parse(histology, asOf, out var problem);
        if (query is null) return (null, problem);
        var source = await ExportSource.LoadAsync(store, query, clock, ct);
        return (Build(source, name), null);
    }

    public static ExportPackage Build(ExportSource source, string format)
    {
        var tables = new[] { AdamDatasets.Adsl(source), AdamDatasets.Adtte(source) };
        var files = tables.Select(t => format switch
        {
            "xpt" => new ExportFile($"{t.Name.ToLowerInvariant()}.xpt", (s, ct) => AdamXpt.WriteAsync(t, source, s, ct)),
            "dataset-json" => new ExportFile($"{t.Name.ToLowerInvariant()}.json", (s, ct) => AdamDatasetJson.WriteAsync(t, source, s, ct)),
            _ => new ExportFile($"{t.Name.ToLowerInvariant()}.csv", (s, ct) => AdamCsv.WriteAsync(t, s, ct)),
        }).ToList();
        return new ExportPackage("adam", format, source, files);
    }
}
