using System.Diagnostics;
using Npgsql;

namespace Timeline.Benchmarks;

/// <summary>
/// 7. Each export over HTTP as an analyst downloads it (the whole zip read to its end), warm, against what PostgreSQL
/// alone takes to hand out the data an export is made from: a binary COPY out of every event row (the export reads the
/// analyses' rows and each exported patient's events; the event table is the larger part).
/// </summary>
public static class ExportRoutes
{
    static readonly (string Name, string Url)[] Routes =
    [
        ("ADaM, CSV", "api/exports/adam?format=csv"),
        ("ADaM, Dataset-JSON", "api/exports/adam?format=dataset-json"),
        ("ADaM, SAS transport (XPT)", "api/exports/adam?format=xpt"),
        ("cBioPortal study", "api/exports/cbioportal"),
        ("FHIR R4 bulk (NDJSON per resource type)", "api/exports/fhir"),
    ];

    public static async Task<List<Figure>> MeasureAsync(HttpClient http, AppServer app, string cs, string eventSchema, TextWriter log, CancellationToken ct)
    {
        var (rows, copySeconds) = await CopyOutEventsAsync(cs, eventSchema, ct);
        var figures = new List<Figure>();
        foreach (var (name, url) in Routes)
        {
            // Warm: the first call compiles the route and fills caches; the second is the one a user waits for.
            System.Net.HttpStatusCode status;
            try { (status, _, _) = await DownloadAsync(http, url, ct); }
            catch (Exception e) when (e is HttpRequestException or IOException) { throw new InvalidOperationException($"{url} failed: {e.Message}\n{app.Output}", e); }
            if (status == System.Net.HttpStatusCode.NotFound) { log.WriteLine($"   {name}: no such route, skipped"); continue; }
            var (_, bytes, seconds) = await DownloadAsync(http, url, ct);
            log.WriteLine($"   {name}: {seconds:0.0} s, {bytes / 1048576.0:0.0} MiB");
            figures.Add(new Figure($"export {name} (GET /{url}, whole zip downloaded)", seconds, "s", copySeconds,
                $"binary COPY out of the {rows:N0} event rows", null, null, $"{bytes / 1048576.0:0.0} MiB zipped"));
        }
        return figures;
    }

    static async Task<(System.Net.HttpStatusCode Status, long Bytes, double Seconds)> DownloadAsync(HttpClient http, string url, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return (response.StatusCode, 0, 0);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[1 << 16];
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0) bytes += read;
        return (response.StatusCode, bytes, watch.Elapsed.TotalSeconds);
    }

    static async Task<(long Rows, double Seconds)> CopyOutEventsAsync(string cs, string eventSchema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(ct);
        var watch = Stopwatch.StartNew();
        long rows = 0;
        await using (var reader = await connection.BeginBinaryExportAsync(
            $"copy (select seq_id, id, stream_id, version, data, type, timestamp from {eventSchema}.mt_events) to stdout (format binary)", ct))
        {
            while (await reader.StartRowAsync(ct) >= 0)
            {
                rows++;
                await reader.SkipAsync(ct); await reader.SkipAsync(ct); await reader.SkipAsync(ct); await reader.SkipAsync(ct);
                await reader.SkipAsync(ct); await reader.SkipAsync(ct); await reader.SkipAsync(ct);
            }
        }
        return (rows, watch.Elapsed.TotalSeconds);
    }
}
