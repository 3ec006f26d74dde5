using JasperFx.CommandLine;
using Timeline.Analyses;

namespace Timeline.Commands;

/// <summary>The command-line twin of POST /api/analyses/regenerate.</summary>
[Description("Rebuild every projection from the event log and store an analysis run", Name = "regenerate")]
public sealed class RegenerateCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        var host = input.BuildHost();
        var regeneration = host.Services.GetRequiredService<Regeneration>();
        Console.Error.WriteLine("Rebuilding projections from the event log and computing every figure…");
        var run = await regeneration.RunAsync($"cli:{Environment.UserName}", CancellationToken.None);
        var f = run.Figures;
        Console.WriteLine($"Run {run.Id}: {f.Cohort.Patients} patients ({f.Cohort.MtkiPatients} on mTKI), events up to sequence {run.LastSequence}, {run.ElapsedMs} ms.");
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        return true;
    }
}
