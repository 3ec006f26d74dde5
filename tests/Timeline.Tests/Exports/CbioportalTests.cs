using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Exports;

/// <summary>
/// The cBioPortal study checked against the rules of cBioPortal's "File Formats" page: the meta files' required keys,
/// the clinical files' four <c>#</c> metadata rows (display name, description, datatype, priority) above the header,
/// survival status values <c>1:…</c>/<c>0:…</c>, one sample per patient, and the timeline files' first four columns.
/// </summary>
public sealed partial class CbioportalTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;
    const string Folder = "sarc_mtki_timeline/";

    static Dictionary<string, string> Meta(byte[] bytes) => Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);

    static string[][] Lines(byte[] bytes) => Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToArray();

    [Fact]
    public async Task The_study_folder_follows_cbioportals_file_formats_and_carries_the_analyses_values()
    {
        var cohort = new ExportCohort(Host, Api, users.Analyst);
        await cohort.RecordAsync();
        await cohort.CorrectAsync();
        var files = (await cohort.EntriesAsync("/api/exports/cbioportal")).ToDictionary(e => e.Name, e => e.Bytes);
        foreach (var (name, bytes) in files.Where(f => f.Key.StartsWith(Folder, StringComparison.Ordinal)))
            output.WriteLine($"--- {name}\n{Encoding.UTF8.GetString(bytes)}");

        // Every file but the manifest lies in the study folder; every meta file names an existing data file.
        files.Keys.Where(k => k != "manifest.json").ShouldAllBe(k => k.StartsWith(Folder));
        var study = Meta(files[Folder + "meta_study.txt"]);
        foreach (var key in new[] { "type_of_cancer", "cancer_study_identifier", "name", "description" })
            study.ShouldContainKey(key);
        study["cancer_study_identifier"].ShouldBe("sarc_mtki_timeline");
        var expected = new Dictionary<string, (string Datatype, string File)>
        {
            ["meta_clinical_patient.txt"] = ("PATIENT_ATTRIBUTES", "data_clinical_patient.txt"),
            ["meta_clinical_sample.txt"] = ("SAMPLE_ATTRIBUTES", "data_clinical_sample.txt"),
            ["meta_timeline_treatment.txt"] = ("TIMELINE", "data_timeline_treatment.txt"),
            ["meta_timeline_status.txt"] = ("TIMELINE", "data_timeline_status.txt"),
        };
        foreach (var (metaName, (datatype, dataFile)) in expected)
        {
            var meta = Meta(files[Folder + metaName]);
            meta["cancer_study_identifier"].ShouldBe(study["cancer_study_identifier"]);
            meta["genetic_alteration_type"].ShouldBe("CLINICAL");
            meta["datatype"].ShouldBe(datatype);
            meta["data_filename"].ShouldBe(dataFile);
            files.ShouldContainKey(Folder + dataFile);
        }

        var patients = Clinical(files[Folder + "data_clinical_patient.txt"]);
        patients.Header[0].ShouldBe("PATIENT_ID");
        var samples = Clinical(files[Folder + "data_clinical_sample.txt"]);
        samples.Header.ShouldContain("PATIENT_ID");
        samples.Header.ShouldContain("SAMPLE_ID");
        var patientIds = patients.Rows.Select(r => r["PATIENT_ID"]).ToList();
        patientIds.ShouldBeUnique();
        samples.Rows.Select(r => r["PATIENT_ID"]).ShouldBe(patientIds); // one sample per patient
        samples.Rows.Select(r => r["SAMPLE_ID"]).ShouldBeUnique();
        samples.Rows.ShouldAllBe(r => IdPattern().IsMatch(r["SAMPLE_ID"]));

        // Survival pairs: status 1:… (event) or 0:… (censored), months numeric; the values are the analyses'.
        foreach (var row in patients.Rows)
        {
            new[] { "1:DECEASED", "0:LIVING", "NA" }.ShouldContain(row["OS_STATUS"]);
            new[] { "1:PROGRESSION OR DEATH", "0:CENSORED", "NA" }.ShouldContain(row["PFS_STATUS"]);
            new[] { "1:PROGRESSION", "0:CENSORED", "NA" }.ShouldContain(row["TTP_STATUS"]);
        }
        var analysis = (await Api.Get("/api/analyses/patients?unit=months")).ShouldHave(HttpStatusCode.OK).Json.GetProperty("patients").EnumerateArray();
        foreach (var p in analysis)
        {
            var row = patients.Rows.Single(r => r["PATIENT_ID"] == p.GetProperty("patientId").GetString());
            if (p.GetProperty("osTime").ValueKind == System.Text.Json.JsonValueKind.Null) { row["OS_MONTHS"].ShouldBe("NA"); continue; }
            double.Parse(row["OS_MONTHS"], CultureInfo.InvariantCulture).ShouldBe(p.GetProperty("osTime").GetDouble(), 1e-6);
            row["OS_STATUS"].ShouldBe(p.GetProperty("osEvent").GetBoolean() ? "1:DECEASED" : "0:LIVING");
        }

        foreach (var timeline in new[] { "data_timeline_treatment.txt", "data_timeline_status.txt" })
        {
            var lines = Lines(files[Folder + timeline]);
            lines[0][..4].ShouldBe(["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE"]);
            foreach (var line in lines.Skip(1))
            {
                line.Length.ShouldBe(lines[0].Length);
                patientIds.ShouldContain(line[0]);
                int.Parse(line[1], CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0);
                if (line[2].Length > 0) int.Parse(line[2], CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(int.Parse(line[1], CultureInfo.InvariantCulture));
            }
        }
        // SYN-EXP-01 (diagnosed 2019-03-01): the corrected progression on day 590, death on day 924, sorafenib on line 3.
        var status = Lines(files[Folder + "data_timeline_status.txt"]).Where(l => l[0] == "SYN-EXP-01").Select(l => (l[1], l[4])).ToList();
        status.ShouldBe([("0", "Diagnosis"), ("427", "Relapse"), ("590", "Progression"), ("924", "Death")]);
        Lines(files[Folder + "data_timeline_treatment.txt"]).ShouldContain(l => l[0] == "SYN-EXP-01" && l[6] == "sorafenib" && l[5] == "mTKI" && l[7] == "3" && l[2] == "");
    }

    sealed record ClinicalFile(string[] Header, List<Dictionary<string, string>> Rows);

    /// <summary>Checks the four metadata rows and reads the rows below the header.</summary>
    static ClinicalFile Clinical(byte[] bytes)
    {
        var lines = Lines(bytes);
        lines.Length.ShouldBeGreaterThan(4);
        lines.Take(4).ShouldAllBe(l => l[0].StartsWith('#'));
        var header = lines[4];
        header[0].ShouldNotStartWith("#");
        lines.ShouldAllBe(l => l.Length == header.Length);
        lines[2].Select(v => v.TrimStart('#')).ShouldAllBe(v => v == "STRING" || v == "NUMBER" || v == "BOOLEAN");
        lines[3].Select(v => v.TrimStart('#')).All(IsInteger).ShouldBeTrue("priorities are integers");
        header.ShouldAllBe(h => ColumnPattern().IsMatch(h));
        var rows = lines.Skip(5).Select(l => header.Zip(l).ToDictionary(p => p.First, p => p.Second)).ToList();
        for (var c = 0; c < header.Length; c++)
            if (lines[2][c].TrimStart('#') == "NUMBER")
                rows.All(r => r[header[c]] == "NA" || IsNumber(r[header[c]])).ShouldBeTrue($"{header[c]} is a NUMBER");
        return new ClinicalFile(header, rows);
    }

    static bool IsInteger(string v) => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
    static bool IsNumber(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex ColumnPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex IdPattern();
}
