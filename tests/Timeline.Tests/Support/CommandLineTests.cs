using System.Text.Json;
using Timeline.Demo;
using Timeline.LocalDatabase;
using Timeline.Tests.Access;

namespace Timeline.Tests.Support;

/// <summary>
/// The built app's commands print their answer and nothing else on standard output: no command discovery, no
/// information logs (they go to standard error, and only with --verbose), so the demo's token line is its last.
/// </summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Commands_print_only_their_answers_on_stdout_and_the_demo_ends_with_its_token()
    {
        var dir = Path.Combine(Path.GetTempPath(), "timeline-tests", "cli-" + Guid.NewGuid().ToString("N")[..8]);
        await using var database = await LocalPostgres.StartAsync(dir);
        var app = AppProcess.CommandLine(database.ConnectionString);

        var demo = await app.RunCommandApartAsync("demo");
        demo.ExitCode.ShouldBe(0, demo.Stderr);
        var lines = demo.StdoutLines;
        lines[0].ShouldBe(DemoCohort.Label);
        lines.Skip(1).Select(l => l.Split(' ')[0]).ShouldBe(
            ["Recorded", "mTKI", "Median", "Median", "Responders:", "Osteosarcoma", "Created", "token:"], demo.Stdout);
        lines[^3].ShouldContain("log-rank chi2(1) = 8.13, p = 0.004");
        IssuedTokens.Last(lines[^1]).Length.ShouldBe(43);
        demo.Stderr.ShouldNotContain("info:");

        var users = await app.RunCommandApartAsync("users", "list");
        users.ExitCode.ShouldBe(0, users.Stderr);
        users.StdoutLines.ShouldHaveSingleItem().ShouldStartWith("demo-admin ");
        users.Stderr.ShouldBeEmpty();

        // --verbose: the information logs appear, on standard error only.
        var verbose = await app.RunCommandApartAsync("users", "list", "--verbose");
        verbose.ExitCode.ShouldBe(0, verbose.Stderr);
        verbose.StdoutLines.ShouldBe(users.StdoutLines);
        verbose.Stderr.ShouldContain("info:");

        // NDJSON on standard output is usable as it is: every line a JSON object.
        var generated = await app.RunCommandApartAsync("generate", "--patients", "2", "--seed", "5");
        generated.ExitCode.ShouldBe(0, generated.Stderr);
        generated.StdoutLines.Count.ShouldBeGreaterThan(2);
        generated.StdoutLines.ShouldAllBe(l => JsonDocument.Parse(l, default).RootElement.ValueKind == JsonValueKind.Object);

        // The import's answer is one line; its progress goes to standard error.
        var file = Path.Combine(dir, "cohort.ndjson");
        await File.WriteAllTextAsync(file, generated.Stdout);
        var imported = await app.RunCommandApartAsync("import", file);
        imported.ExitCode.ShouldBe(0, imported.Stderr);
        imported.StdoutLines.ShouldHaveSingleItem().ShouldStartWith("Imported 2 patients");
    }
}
