using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Timeline.Exchange;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Exports;

/// <summary>
/// The XPT files read back by an independent reader, pandas' <c>read_sas(format="xport")</c> (Debian's python3-pandas;
/// <c>.ci/run</c> installs it), give the values of the CSV export of the same data: names, labels, text, numbers,
/// dates as SAS dates (days since 1960-01-01) and missing values.
/// </summary>
public sealed class XptReadBackTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    readonly TestUsers users = fixture.Users;
    static readonly int SasEpoch = new DateOnly(1960, 1, 1).DayNumber;

    [Fact]
    public async Task Pandas_reads_the_xpt_files_back_with_the_values_of_the_csv_export()
    {
        var python = ExternalReader.FindPython();
        if (python is null)
        {
            output.WriteLine("SKIPPED: python3 is not installed, so the XPT files cannot be read back with pandas (apt-get install python3-pandas).");
            return;
        }
        ExternalReader.HasPandas(python).ShouldBeTrue($"{python} cannot import pandas: apt-get install -y python3-pandas (.ci/run does)");

        var cohort = new ExportCohort(Host, Api, users.Analyst);
        await cohort.RecordAsync();
        await cohort.CorrectAsync();
        var xpt = await cohort.EntriesAsync("/api/exports/adam?format=xpt");
        var csv = await cohort.EntriesAsync("/api/exports/adam?format=csv");
        var script = Path.Combine(AppContext.BaseDirectory, "Exports", "read_xpt.py");
        var folder = Directory.CreateTempSubdirectory("xpt-");
        try
        {
            foreach (var (table, index) in new[] { ("ADSL", 0), ("ADTTE", 1) })
            {
                var path = Path.Combine(folder.FullName, xpt[index].Name);
                await File.WriteAllBytesAsync(path, xpt[index].Bytes);
                var read = JsonDocument.Parse(ExternalReader.Run(python, script, path)).RootElement;
                read.GetProperty("member").GetString().ShouldBe(table);
                var fields = read.GetProperty("fields").EnumerateArray().ToList();
                var lines = System.Text.Encoding.UTF8.GetString(csv[index].Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                fields.Select(f => f.GetProperty("name").GetString()).ShouldBe(lines[0].Split(','));
                fields.ShouldAllBe(f => f.GetProperty("label").GetString()!.Length > 0 && f.GetProperty("label").GetString()!.Length <= 40);
                var rows = read.GetProperty("rows").EnumerateArray().ToList();
                rows.Count.ShouldBe(lines.Length - 1);
                for (var r = 0; r < rows.Count; r++)
                {
                    var expected = lines[r + 1].Split(',');
                    for (var c = 0; c < fields.Count; c++)
                    {
                        var value = rows[r][c];
                        var want = expected[c];
                        var where = $"{table} row {r + 1} {fields[c].GetProperty("name").GetString()}";
                        if (fields[c].GetProperty("type").GetString() == "char")
                            (value.GetString() ?? "").ShouldBe(want, where);
                        else if (want.Length == 0)
                            value.ValueKind.ShouldBe(JsonValueKind.Null, where);
                        else if (want.Contains('-', StringComparison.Ordinal))
                            value.GetDouble().ShouldBe(DateOnly.ParseExact(want, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - SasEpoch, 1e-9, where);
                        else // pandas decodes the IBM zero (eight zero bytes, as SAS writes it) as 16^-65, about 5.4e-79
                            value.GetDouble().ShouldBe(double.Parse(want, CultureInfo.InvariantCulture), 1e-9, where);
                    }
                }
                output.WriteLine($"{table}: {rows.Count} rows, {fields.Count} variables read back by pandas");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A second reader where R is installed: <c>foreign::read.xport</c> (a recommended package) gives the ADTTE values.</summary>
    [Fact]
    public async Task R_reads_the_adtte_xpt_back_with_the_values_of_the_csv_export()
    {
        const string check = "if (!requireNamespace('foreign', quietly = TRUE)) quit(status = 3); "
            + "d <- foreign::read.xport(commandArgs(TRUE)[1]); write.csv(d[, c('USUBJID', 'PARAMCD', 'AVAL', 'CNSR', 'STARTDT', 'SRCSEQ')], stdout(), row.names = FALSE, na = '')";
        var cohort = new ExportCohort(Host, Api, users.Analyst);
        await cohort.RecordAsync();
        var xpt = await cohort.EntriesAsync("/api/exports/adam?format=xpt");
        var csv = await cohort.EntriesAsync("/api/exports/adam?format=csv");
        var path = Path.Combine(Path.GetTempPath(), $"adtte-{Guid.NewGuid():N}.xpt");
        await File.WriteAllBytesAsync(path, xpt[1].Bytes);
        string read;
        try { read = ExternalReader.Run("Rscript", "-e", check, path); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            output.WriteLine($"SKIPPED: Rscript with the foreign package is not available ({e.Message.Split('\n')[0]}).");
            return;
        }
        finally { File.Delete(path); }

        var rows = System.Text.Encoding.UTF8.GetString(csv[1].Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = rows[0].Split(',');
        string Cell(string[] row, string name) => row[Array.IndexOf(header, name)];
        var expected = rows.Skip(1).Select(l => l.Split(',')).Select(r =>
            $"\"{Cell(r, "USUBJID")}\",\"{Cell(r, "PARAMCD")}\",{Cell(r, "AVAL")},{Cell(r, "CNSR")},"
            + $"{DateOnly.ParseExact(Cell(r, "STARTDT"), "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - SasEpoch},{Cell(r, "SRCSEQ")}");
        read.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r')).ShouldBe(expected);
    }

    [Theory]
    [InlineData(1.0, "4110000000000000")]
    [InlineData(-1.0, "C110000000000000")]
    [InlineData(0.0, "0000000000000000")]
    [InlineData(100.0, "4264000000000000")]
    [InlineData(0.5, "4080000000000000")]
    [InlineData(22279.0, "4457070000000000")]
    [InlineData(double.NaN, "2E00000000000000")]
    public void Numbers_are_ibm_doubles(double value, string hex)
    {
        var bytes = new byte[8];
        AdamXpt.WriteIbm(value, bytes);
        Convert.ToHexString(bytes).ShouldBe(hex);
    }
}

/// <summary>Runs the independent readers: a python3 with pandas (Debian's first: the pandas package is installed for it), Rscript.</summary>
static class ExternalReader
{
    public static string? FindPython()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                Run(candidate, "-c", "import sys");
                return candidate;
            }
            catch (System.ComponentModel.Win32Exception) { }
            catch (InvalidOperationException) { }
        }
        return null;
    }

    public static bool HasPandas(string python)
    {
        try { Run(python, "-c", "import pandas"); return true; }
        catch (InvalidOperationException) { return false; }
    }

    public static string Run(string python, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{python} {string.Join(' ', arguments)}: exit {process.ExitCode}: {stderr}");
        return stdout.Result;
    }
}
