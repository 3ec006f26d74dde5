using System.Security.Cryptography;
using System.Text.Json;
using Timeline.LocalDatabase;
using Timeline.Tests.Support;

namespace Timeline.Tests.Exports;

/// <summary>
/// <c>export adam|cbioportal|fhir --out DIR</c>: the API's files unzipped into a folder, progress on standard error, one
/// answer line on standard output; run twice on the same data it writes the same data files.
/// </summary>
public sealed class ExportCommandTests
{
    [Fact]
    public async Task The_export_command_writes_the_files_and_their_manifest_into_a_folder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "timeline-tests", "export-" + Guid.NewGuid().ToString("N")[..8]);
        await using var database = await LocalPostgres.StartAsync(dir);
        var app = AppProcess.CommandLine(database.ConnectionString);
        var generated = await app.RunCommandApartAsync("generate", "--patients", "40", "--seed", "3", "--out", Path.Combine(dir, "cohort.ndjson"));
        generated.ExitCode.ShouldBe(0, generated.Stderr);
        (await app.RunCommandApartAsync("import", Path.Combine(dir, "cohort.ndjson"))).ExitCode.ShouldBe(0);

        var first = Path.Combine(dir, "adam-1");
        var adam = await app.RunCommandApartAsync("export", "adam", "--out", first, "--format", "xpt");
        adam.ExitCode.ShouldBe(0, adam.Stderr);
        adam.StdoutLines.ShouldHaveSingleItem().ShouldStartWith("Exported adam (xpt): 40 patients, 3 files");
        adam.Stderr.ShouldContain("[1/3] adsl.xpt");
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(first, "manifest.json"))).RootElement;
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
            Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(first, file.GetProperty("name").GetString()!))))
                .ShouldBe(file.GetProperty("sha256").GetString());

        var second = Path.Combine(dir, "adam-2");
        (await app.RunCommandApartAsync("export", "adam", "--out", second, "--format", "xpt")).ExitCode.ShouldBe(0);
        foreach (var name in new[] { "adsl.xpt", "adtte.xpt" })
        {
            var again = await File.ReadAllBytesAsync(Path.Combine(second, name));
            var before = await File.ReadAllBytesAsync(Path.Combine(first, name));
            again.SequenceEqual(before).ShouldBeTrue(name);
        }

        var study = await app.RunCommandApartAsync("export", "cbioportal", "--out", Path.Combine(dir, "study"), "--histology", "osteosarcoma");
        study.ExitCode.ShouldBe(0, study.Stderr);
        File.Exists(Path.Combine(dir, "study", "sarc_mtki_timeline", "data_timeline_treatment.txt")).ShouldBeTrue();

        var fhir = await app.RunCommandApartAsync("export", "fhir", "--out", Path.Combine(dir, "fhir"));
        fhir.ExitCode.ShouldBe(0, fhir.Stderr);
        fhir.StdoutLines.ShouldHaveSingleItem().ShouldStartWith("Exported fhir (ndjson): 40 patients, 6 files");
        fhir.Stderr.ShouldContain("[1/6] Patient.ndjson");
        (await File.ReadAllLinesAsync(Path.Combine(dir, "fhir", "Patient.ndjson"))).Length.ShouldBe(40); // one Patient per line
        (await File.ReadAllLinesAsync(Path.Combine(dir, "fhir", "Condition.ndjson"))).ShouldAllBe(l => l.StartsWith("{\"resourceType\":\"Condition\"", StringComparison.Ordinal));

        var refused = await app.RunCommandApartAsync("export", "adam", "--out", Path.Combine(dir, "x"), "--format", "sas7bdat");
        refused.ExitCode.ShouldNotBe(0);
        refused.Stderr.ShouldContain("format 'sas7bdat' must be one of csv, dataset-json, xpt");
    }
}
