namespace Timeline.Exchange;

/// <summary>
/// A temporary file holding one export file's bytes while an earlier file of the same read of the charts streams: the
/// zip takes its entries one after another, and reading the charts once per file cost a pass over the log each
/// (cBioPortal's timeline files, FHIR's NDJSON files). Deleted when closed: once copied, or by its finaliser if the
/// export is cancelled first.
/// </summary>
public static class ExportSpool
{
    public static FileStream Create(string export) =>
        new(Path.Combine(Path.GetTempPath(), $"timeline-{export}-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);

    /// <summary>Copies a spool into its file's place in the export, then closes (and so deletes) it.</summary>
    public static async Task DrainAsync(FileStream spool, Stream output, CancellationToken ct)
    {
        await using (spool)
        {
            spool.Position = 0;
            await spool.CopyToAsync(output, ct);
        }
    }
}
