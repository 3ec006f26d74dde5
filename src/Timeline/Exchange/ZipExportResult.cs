using System.IO.Compression;

namespace Timeline.Exchange;

/// <summary>
/// Streams an export to the response as a zip: each entry is compressed and sent as it is written (nothing holds the
/// whole archive), with a fixed timestamp and in the package's fixed order, so equal data files give equal entries.
/// </summary>
public sealed class ZipExportResult(ExportPackage package, string fileName, TimeProvider clock) : IResult
{
    /// <summary>Every entry's modification time: the zip format's earliest, so the bytes never depend on the clock.</summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var response = httpContext.Response;
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
        await using var body = new DeferredWritesStream(response.Body);
        await using (var archive = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            await package.WriteAsync(async (name, token) =>
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                return await entry.OpenAsync(token);
            }, clock, ct);
        }
        await body.FlushAsync(ct); // the bytes the archive's last synchronous writes left
    }
}
