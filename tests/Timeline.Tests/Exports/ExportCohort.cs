using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Alba;
using Timeline.Tests.Api;

namespace Timeline.Tests.Exports;

/// <summary>
/// A small SYNTHETIC cohort recorded through the API: two mTKI patients (one with a retracted response), a control
/// patient and one without a second line; and a client that downloads an export as the analyst.
/// </summary>
public sealed class ExportCohort(IAlbaHost host, Scenarios api, string analystToken)
{
    public Dictionary<string, Guid> First { get; private set; } = [];

    public async Task RecordAsync()
    {
        First = await api.RecordFullCourse("SYN-EXP-01");
        var second = await api.RecordFullCourse("SYN-EXP-02");
        // A retraction: the PR on the mTKI line was recorded on the wrong line; the best response falls back to SD.
        (await api.Post("/api/patients/SYN-EXP-02/corrections", new { eventId = second["response2"], reason = "Assessment belongs to another patient", retract = true }))
            .ShouldHave(HttpStatusCode.OK);

        await api.WithDiagnosedPatient("SYN-EXP-03", "synovial sarcoma");
        foreach (var (route, body) in new (string, object)[]
        {
            ("treatment-lines", new { line = 1, startDate = "2019-03-15", regimen = "VAI", agents = new[] { "vincristine", "ifosfamide" } }),
            ("treatment-lines/1/end", new { date = "2019-09-01", reason = "completed" }),
            ("treatment-lines", new { line = 2, startDate = "2020-01-10", agents = new[] { "trabectedin" } }),
            ("relapses", new { date = "2020-06-01" }),
            ("follow-ups", new { date = "2021-02-01" }),
        })
            (await api.Post($"/api/patients/SYN-EXP-03/{route}", body)).ShouldHave(HttpStatusCode.OK);

        await api.WithDiagnosedPatient("SYN-EXP-04");
        (await api.Post("/api/patients/SYN-EXP-04/treatment-lines", new { line = 1, startDate = "2019-04-01", agents = new[] { "doxorubicin" } }))
            .ShouldHave(HttpStatusCode.OK);
    }

    /// <summary>The first patient's progression (their second-line relapse anchor) moves three weeks earlier.</summary>
    public async Task CorrectAsync() =>
        (await api.Post("/api/patients/SYN-EXP-01/corrections", new
        {
            eventId = First["progression"], reason = "Scan date misread", replacement = new { date = "2020-10-11" },
        })).ShouldHave(HttpStatusCode.OK);

    public async Task<(HttpStatusCode Status, byte[] Body, string? ContentType)> DownloadAsync(string url, string? token = null)
    {
        using var client = host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? analystToken);
        using var response = await client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The zip's entries, in their order, with their bytes.</summary>
    public async Task<List<(string Name, byte[] Bytes, DateTimeOffset Time)>> EntriesAsync(string url)
    {
        var (status, body, type) = await DownloadAsync(url);
        status.ShouldBe(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        type.ShouldBe("application/zip");
        return Entries(body);
    }

    public static List<(string Name, byte[] Bytes, DateTimeOffset Time)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray(), e.LastWriteTime);
        }).ToList();
    }
}
