using JasperFx.CommandLine;
using Timeline.Import;

namespace Timeline.Commands;

public sealed class GenerateInput
{
    [Description("How many SYNTHETIC patients to generate")]
    public int PatientsFlag { get; set; } = 1_000;

    [Description("The random seed: the same seed gives the same bytes")]
    public int SeedFlag { get; set; } = 1;

    [Description("Write to this file instead of standard output")]
    public string? OutFlag { get; set; }
}

/// <summary>Writes SYNTHETIC patient histories as import NDJSON (ids SYN-000001…, "synthetic": true on every line).</summary>
[Description("Generate SYNTHETIC patient histories as import NDJSON (streamed to stdout or --out FILE)", Name = "generate")]
public sealed class GenerateCommand : JasperFxAsyncCommand<GenerateInput>
{
    public override async Task<bool> Execute(GenerateInput input)
    {
        if (input.PatientsFlag < 0) throw new ArgumentOutOfRangeException(nameof(input), "--patients must be 0 or more.");
        var cohort = new SyntheticCohort(input.SeedFlag);
        if (string.IsNullOrEmpty(input.OutFlag))
        {
            await using var stdout = Console.OpenStandardOutput();
            await cohort.WriteAsync(stdout, input.PatientsFlag);
        }
        else
        {
            await using (var file = File.Create(input.OutFlag))
                await cohort.WriteAsync(file, input.PatientsFlag);
            await Console.Error.WriteLineAsync($"SYNTHETIC: {input.PatientsFlag} patients, {cohort.Facts} facts written to {input.OutFlag}.");
        }
        return true;
    }
}
