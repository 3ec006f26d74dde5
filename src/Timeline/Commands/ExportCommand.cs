using System.Globalization;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Exchange;
using Timeline.Exchange.Fhir;

namespace Timeline.Commands;

public sealed class ExportInput : NetCoreInput
{
    [Description("What to export: adam (ADSL, ADTTE), cbioportal (a study folder) or fhir (FHIR R4 NDJSON, one file per resource type)")]
    public string Kind { get; set; } = "";

    [Description("The folder to write the files into (created if absent; files of the same names are replaced)")]
    public string OutFlag { get; set; } = "";

    [Description("adam only: csv (default), dataset-json or xpt")]
    public string? FormatFlag { get; set; }

    [Description("Only this histology (name or ICD-O-3 code)")]
    public string? HistologyFlag { get; set; }

    [Description("The data as recorded at this time (ISO 8601)")]
    public string? AsOfFlag { get; set; }
}

/// <summary>
/// The command-line twin of GET /api/exports/adam, /cbioportal and /fhir: the same files, written unzipped into a folder
/// (with manifest.json), the file being written shown on standard error and a one-line answer on standard output.
/// </summary>
[Description("Export the ADaM data sets, a cBioPortal study or FHIR R4 NDJSON into a folder (same files as the API's zip)", Name = "export")]
public sealed class ExportCommand : JasperFxAsyncCommand<ExportInput>
{
    public override async Task<bool> Execute(ExportInput input)
    {
        var kind = input.Kind.Trim().ToLowerInvariant();
        if (kind is not ("adam" or "cbioportal" or "fhir"))
            return await Fail($"export what? '{input.Kind}' is none of adam, cbioportal and fhir.");
        if (string.IsNullOrWhiteSpace(input.OutFlag)) return await Fail("--out DIR is required.");
        if (kind != "adam" && input.FormatFlag is not null) return await Fail("--format applies to adam only.");

        var host = input.BuildHost();
        try
        {
            var store = host.Services.GetRequiredService<IDocumentStore>();
            var clock = host.Services.GetService<TimeProvider>() ?? TimeProvider.System;
            var (package, problem) = kind switch
            {
                "adam" => await AdamExport.PackageAsync(input.HistologyFlag, input.AsOfFlag, input.FormatFlag, store, clock, CancellationToken.None),
                "cbioportal" => await CbioportalExport.PackageAsync(input.HistologyFlag, input.AsOfFlag, store, clock, CancellationToken.None),
                _ => await FhirBulkExport.PackageAsync(input.HistologyFlag, input.AsOfFlag, store, clock, CancellationToken.None),
            };
            if (package is null) return await Fail(Detail(problem));

            var folder = Path.GetFullPath(input.OutFlag);
            var total = package.Files.Count + 1;
            var done = 0;
            await package.WriteAsync((name, _) =>
            {
                var path = Path.Combine(folder, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return Task.FromResult<Stream>(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true));
            }, clock, CancellationToken.None, name => Console.Error.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"[{++done}/{total}] {name}")));

            var source = package.Source;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Exported {kind}{(package.Format is { } f ? $" ({f})" : "")}: {source.Outcomes.Count} patients, {total} files, events up to sequence {source.Snapshot.Basis.LastSequence}, into {folder}."));
            return true;
        }
        finally
        {
            if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        }
    }

    static string Detail(object? problem) => problem switch
    {
        ValidationProblem v => v.ProblemDetails.Detail ?? "invalid parameters",
        ProblemHttpResult p => p.ProblemDetails.Detail ?? "invalid parameters",
        _ => "invalid parameters",
    };

    static async Task<bool> Fail(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return false;
    }
}
