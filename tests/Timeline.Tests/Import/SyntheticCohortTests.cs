using System.Text;
using System.Text.Json;
using Timeline.Import;

namespace Timeline.Tests.Import;

/// <summary>The SYNTHETIC history generator: reproducible, labelled, and every history passes the import's checks.</summary>
public sealed class SyntheticCohortTests
{
    static async Task<byte[]> Generate(int seed, int patients)
    {
        using var output = new MemoryStream();
        await new SyntheticCohort(seed).WriteAsync(output, patients);
        return output.ToArray();
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_bytes_and_another_seed_other_ones()
    {
        var first = await Generate(5, 300);
        (await Generate(5, 300)).ShouldBe(first);
        (await Generate(6, 300)).ShouldNotBe(first);
    }

    [Fact]
    public async Task Every_line_is_labelled_synthetic_and_every_patient_passes_the_checks_of_the_api()
    {
        var text = Encoding.UTF8.GetString(await Generate(9, 2_000));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Checked as of the generator's last date: nothing lies after it, whenever the tests run.
        var today = SyntheticCohort.LastDate;
        var patients = new List<PatientHistory>();
        var types = new HashSet<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            using (var json = JsonDocument.Parse(lines[i]))
            {
                json.RootElement.GetProperty("synthetic").GetBoolean().ShouldBeTrue();
                json.RootElement.GetProperty("patientId").GetString()!.ShouldStartWith("SYN-");
            }
            var line = ImportLineReader.Read(i + 1, Encoding.UTF8.GetBytes(lines[i]));
            if (patients.Count == 0 || patients[^1].PatientId != line.PatientId) patients.Add(new PatientHistory(line.PatientId));
            patients[^1].Add(line, today);
            types.Add(line.Type!);
        }

        patients.Count.ShouldBe(2_000);
        patients.Where(p => p.Refusal is not null).Select(p => $"{p.PatientId}: {p.Refusal}").ShouldBeEmpty();
        patients.Select(p => p.PatientId).Distinct().Count().ShouldBe(2_000);
        types.ShouldBe(["enrolment", "diagnosis", "treatment-line", "treatment-line-end", "response", "progression", "relapse",
            "adverse-event", "follow-up", "death"], ignoreOrder: true);
        (lines.Length / 2_000.0).ShouldBeInRange(8, 16);
        text.ShouldContain("sorafenib");
        text.ShouldContain("\"ewing sarcoma\"");
    }
}
