using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Timeline.Exchange;
using Timeline.Tests.Api;

namespace Timeline.Tests.Exports;

/// <summary>
/// The exports over a SYNTHETIC cohort with a correction and a retraction: the values are the analyses' own, an
/// export as of a past time is byte for byte the export made then, and the manifest states every data file's hash.
/// </summary>
public sealed class ExportsTests(ApiFixture fixture) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;

    ExportCohort Cohort => new(Host, Api, users.Analyst);

    static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    static List<Dictionary<string, string>> Csv(byte[] bytes)
    {
        var lines = Text(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        // No value of these data sets holds a comma or a quote, so a plain split reads them.
        return lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(p => p.h, p => p.v)).ToList();
    }

    [Fact]
    public async Task Adtte_os_values_are_the_analysis_data_sets_values_in_days_and_point_to_their_source_events()
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        await cohort.CorrectAsync();
        var entries = await cohort.EntriesAsync("/api/exports/adam?format=csv");
        entries.Select(e => e.Name).ShouldBe(["adsl.csv", "adtte.csv", "manifest.json"]);
        var adtte = Csv(entries[1].Bytes);
        var adsl = Csv(entries[0].Bytes);

        var analysis = (await Api.Get("/api/analyses/patients?unit=days")).ShouldHave(HttpStatusCode.OK).Json.GetProperty("patients").EnumerateArray().ToList();
        adsl.Select(r => r["SUBJID"]).ShouldBe(analysis.Select(p => p.GetProperty("patientId").GetString()));
        foreach (var p in analysis)
        {
            var id = p.GetProperty("patientId").GetString()!;
            var os = adtte.SingleOrDefault(r => r["USUBJID"] == AdamDatasets.Usubjid(id) && r["PARAMCD"] == "OS");
            if (p.GetProperty("osTime").ValueKind == JsonValueKind.Null) { os.ShouldBeNull(id); continue; }
            os.ShouldNotBeNull(id);
            double.Parse(os["AVAL"], CultureInfo.InvariantCulture).ShouldBe(p.GetProperty("osTime").GetDouble(), id);
            os["CNSR"].ShouldBe(p.GetProperty("osEvent").GetBoolean() ? "0" : "1", id);
            os["STARTDT"].ShouldBe(p.GetProperty("anchor").GetString(), id);
            os["SRCVAR"].ShouldBe(p.GetProperty("osEndEventId").GetGuid().ToString(), id);
            foreach (var (code, time, ev) in new[] { ("TTP", "ttpTime", "ttpEvent"), ("PFS", "pfsTime", "pfsEvent") })
            {
                var row = adtte.SingleOrDefault(r => r["USUBJID"] == AdamDatasets.Usubjid(id) && r["PARAMCD"] == code);
                if (p.GetProperty(time).ValueKind == JsonValueKind.Null) { row.ShouldBeNull(); continue; }
                double.Parse(row!["AVAL"], CultureInfo.InvariantCulture).ShouldBe(p.GetProperty(time).GetDouble());
                row["CNSR"].ShouldBe(p.GetProperty(ev).GetBoolean() ? "0" : "1");
            }
        }
        adtte.Count(r => r["PARAMCD"] == "OS").ShouldBe(3); // two mTKI patients and the control; the fourth has no line 2

        // SYN-EXP-01: OS from the corrected progression (2020-10-11) to death (2021-09-10); SRCSEQ is the death's version.
        var first = adtte.Single(r => r["USUBJID"] == AdamDatasets.Usubjid("SYN-EXP-01") && r["PARAMCD"] == "OS");
        first["AVAL"].ShouldBe("334");
        first["ADT"].ShouldBe("2021-09-10");
        first["EVNTDESC"].ShouldBe("DEATH");
        first["SRCSEQ"].ShouldBe("14");
        adsl.Single(r => r["SUBJID"] == "SYN-EXP-02")["BESTRSP"].ShouldBe("SD"); // the retracted PR is not counted
        adsl.Single(r => r["SUBJID"] == "SYN-EXP-03")["SURVGRP"].ShouldBe("control");
    }

    [Theory]
    [InlineData("/api/exports/adam?format=csv")]
    [InlineData("/api/exports/adam?format=dataset-json")]
    [InlineData("/api/exports/adam?format=xpt")]
    [InlineData("/api/exports/cbioportal")]
    [InlineData("/api/exports/fhir")]
    public async Task An_export_as_of_a_time_before_a_correction_is_byte_for_byte_the_export_made_then(string url)
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        var before = await cohort.EntriesAsync(url);
        var again = await cohort.EntriesAsync(url);
        var asOf = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await cohort.CorrectAsync();
        var then = await cohort.EntriesAsync($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}asOf={Uri.EscapeDataString(asOf.ToString("O", CultureInfo.InvariantCulture))}");
        var now = await cohort.EntriesAsync(url);

        static List<(string, byte[])> Data(List<(string Name, byte[] Bytes, DateTimeOffset Time)> e) =>
            e.Where(x => x.Name != ExportPackage.ManifestName).Select(x => (x.Name, x.Bytes)).ToList();
        then.Select(e => e.Name).ShouldBe(before.Select(e => e.Name));
        foreach (var ((name, a), (_, b)) in Data(before).Zip(Data(then)))
            b.SequenceEqual(a).ShouldBeTrue($"{name} as of before the correction differs from the export made then");
        foreach (var ((name, a), (_, b)) in Data(before).Zip(Data(again)))
            b.SequenceEqual(a).ShouldBeTrue($"{name} differs between two exports of the same data");
        Data(now).Zip(Data(before)).Any(p => !p.First.Item2.SequenceEqual(p.Second.Item2)).ShouldBeTrue("the correction changes the export made now");
        before.ShouldAllBe(e => e.Time.DateTime == ZipExportResult.EntryTime.DateTime);
        before[^1].Name.ShouldBe(ExportPackage.ManifestName);

        // The manifest: parameters, basis, times, software, and the SHA-256 of every other file.
        var manifest = JsonDocument.Parse(then[^1].Bytes).RootElement;
        manifest.GetProperty("parameters").GetProperty("asOf").GetDateTimeOffset().ShouldBe(asOf);
        manifest.GetProperty("basis").GetProperty("lastSequence").GetInt64().ShouldBeGreaterThan(0);
        manifest.GetProperty("createdFrom").GetDateTimeOffset().ShouldBeLessThanOrEqualTo(asOf);
        manifest.GetProperty("createdAt").GetDateTimeOffset().ShouldBeGreaterThan(asOf);
        manifest.GetProperty("software").GetProperty("version").GetString().ShouldNotBeNullOrWhiteSpace();
        var files = manifest.GetProperty("files").EnumerateArray().ToList();
        files.Select(f => f.GetProperty("name").GetString()).ShouldBe(Data(then).Select(d => d.Item1));
        foreach (var (file, (_, bytes)) in files.Zip(Data(then)))
            file.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        JsonDocument.Parse(before[^1].Bytes).RootElement.GetProperty("files").GetRawText().ShouldBe(manifest.GetProperty("files").GetRawText());
    }

    [Fact]
    public async Task Dataset_json_parses_and_every_row_has_the_declared_columns()
    {
        var cohort = Cohort;
        await cohort.RecordAsync();
        var entries = await cohort.EntriesAsync("/api/exports/adam?format=dataset-json&histology=osteosarcoma");
        entries.Select(e => e.Name).ShouldBe(["adsl.json", "adtte.json", "manifest.json"]);
        foreach (var (name, bytes, _) in entries.Take(2))
        {
            var json = JsonDocument.Parse(bytes).RootElement;
            json.GetProperty("datasetJSONVersion").GetString().ShouldBe("1.1.0");
            foreach (var required in new[] { "datasetJSONCreationDateTime", "itemGroupOID", "records", "name", "label", "columns", "rows" })
                json.TryGetProperty(required, out _).ShouldBeTrue($"{name} lacks {required}");
            var columns = json.GetProperty("columns").EnumerateArray().ToList();
            foreach (var c in columns)
            {
                c.GetProperty("itemOID").GetString().ShouldStartWith($"IT.{json.GetProperty("name").GetString()}.");
                c.GetProperty("name").GetString()!.Length.ShouldBeLessThanOrEqualTo(8);
                c.GetProperty("label").GetString()!.Length.ShouldBeLessThanOrEqualTo(40);
                new[] { "string", "integer", "date" }.ShouldContain(c.GetProperty("dataType").GetString());
                if (c.GetProperty("dataType").GetString() == "string") c.GetProperty("length").GetInt32().ShouldBeGreaterThan(0);
            }
            var rows = json.GetProperty("rows").EnumerateArray().ToList();
            rows.Count.ShouldBe(json.GetProperty("records").GetInt32());
            rows.ShouldAllBe(r => r.GetArrayLength() == columns.Count);
            for (var i = 0; i < columns.Count; i++)
            {
                var type = columns[i].GetProperty("dataType").GetString();
                var length = type == "string" ? columns[i].GetProperty("length").GetInt32() : 0;
                foreach (var r in rows.Select(r => r[i]).Where(v => v.ValueKind != JsonValueKind.Null))
                {
                    if (type == "integer") r.ValueKind.ShouldBe(JsonValueKind.Number);
                    else if (type == "date") DateOnly.ParseExact(r.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    else Encoding.UTF8.GetByteCount(r.GetString()!).ShouldBeLessThanOrEqualTo(length);
                }
            }
        }
        var adsl = JsonDocument.Parse(entries[0].Bytes).RootElement;
        adsl.GetProperty("rows").GetArrayLength().ShouldBe(3); // the osteosarcoma patients only
    }

    [Fact]
    public async Task Bad_parameters_are_problems_and_only_analysts_and_admins_may_export()
    {
        var cohort = Cohort;
        (await cohort.DownloadAsync("/api/exports/adam?format=sas7bdat")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cohort.DownloadAsync("/api/exports/cbioportal?asOf=yesterday")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cohort.DownloadAsync("/api/exports/adam?histology=not-a-histology")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cohort.DownloadAsync("/api/exports/adam", users.Recorder)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await cohort.DownloadAsync("/api/exports/cbioportal", users.Auditor)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await cohort.DownloadAsync("/api/exports/cbioportal", users.Admin)).Status.ShouldBe(HttpStatusCode.OK);
    }
}
