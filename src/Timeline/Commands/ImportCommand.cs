using System.Diagnostics;
using System.Globalization;
using JasperFx.CommandLine;
using Marten;
using Timeline.Import;
using Timeline.Recording;

namespace Timeline.Commands;

public sealed class ImportInput : NetCoreInput
{
    [Description("The NDJSON file of facts to import (one fact per line; '-' reads standard input)")]
    public string File { get; set; } = "";
}

/// <summary>The command-line twin of POST /api/import, with a progress line (patients/s, lines, refused).</summary>
[Description("Import whole patient histories from an NDJSON file (same checks as the API; a bad patient is refused whole)", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public override async Task<bool> Execute(ImportInput input)
    {
        if (input.File != "-" && !System.IO.File.Exists(input.File))
        {
            await Console.Error.WriteLineAsync($"No such file: {input.File}");
            return false;
        }
        var host = input.BuildHost();
        try
        {
            var services = host.Services;
            var store = services.GetRequiredService<IDocumentStore>();
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(); // the host is built, not started
            var importer = new BulkImporter(store, services.GetRequiredService<PatientStreams>().Today,
                $"cli:{Environment.UserName}", source: input.File == "-" ? "standard input" : Path.GetFileName(input.File));
            await using var file = input.File == "-" ? Console.OpenStandardInput()
                : new FileStream(input.File, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

            var watch = Stopwatch.StartNew();
            using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            var import = importer.ImportAsync(file, CancellationToken.None);
            var live = !Console.IsErrorRedirected;
            while (!import.IsCompleted)
            {
                await Task.WhenAny(import, ticker.WaitForNextTickAsync().AsTask());
                if (live) Console.Error.Write($"\r{Line(importer.Progress, watch.Elapsed)}   ");
            }
            var answer = await import;
            Console.Error.Write(live ? "\r" : "");
            await Console.Error.WriteLineAsync(Line(importer.Progress, watch.Elapsed));
            foreach (var refusal in answer.Refused)
                await Console.Error.WriteLineAsync($"Refused {refusal.PatientId ?? "(no id)"} (lines {Ranges(refusal.Lines)}): {refusal.Reason}");
            if (answer.RefusedListTruncated)
                await Console.Error.WriteLineAsync($"… and {answer.PatientsRefused - answer.Refused.Count} more refused patients.");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {answer.PatientsImported} patients ({answer.EventsAppended} events), refused {answer.PatientsRefused}, {answer.LinesRead} lines, {answer.ElapsedMs} ms."));
            return answer.PatientsRefused == 0;
        }
        finally
        {
            if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        }
    }

    static string Line(ImportProgress p, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.PatientsImported / seconds,8:N0} patients/s | {p.Lines:N0} lines | {p.PatientsImported:N0} imported ({p.EventsAppended:N0} events) | {p.PatientsRefused:N0} refused | {elapsed:mm\\:ss}");
    }

    /// <summary>1,2,3,7 → "1–3, 7".</summary>
    internal static string Ranges(IReadOnlyList<long> lines)
    {
        var parts = new List<string>();
        for (var i = 0; i < lines.Count;)
        {
            var j = i;
            while (j + 1 < lines.Count && lines[j + 1] == lines[j] + 1) j++;
            parts.Add(j == i ? lines[i].ToString(CultureInfo.InvariantCulture) : $"{lines[i].ToString(CultureInfo.InvariantCulture)}–{lines[j].ToString(CultureInfo.InvariantCulture)}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }
}
