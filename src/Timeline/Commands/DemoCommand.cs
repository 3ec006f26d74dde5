using JasperFx.CommandLine;
using Marten;
using Timeline.Access;
using Timeline.Analyses;
using Timeline.Demo;
using Timeline.Projections.Analysis;
using Timeline.Projections.Study;

namespace Timeline.Commands;

/// <summary>
/// Records the synthetic demonstration cohort through the recording endpoints themselves (same checks,
/// same append path), skipping patients already present, then prints the study's headline figures. The
/// first run also creates the user demo-admin (role admin) and prints its token, once; there is no default key.
/// </summary>
[Description("Record the SYNTHETIC demonstration cohort (idempotent) and print the study's figures", Name = "demo")]
public sealed class DemoCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        var host = input.BuildHost();
        var services = host.Services;
        Console.WriteLine(DemoCohort.Label);
        var result = await DemoRecorder.RecordAsync(services);
        Console.WriteLine($"Recorded {result.Recorded} facts; {result.AlreadyPresent} patients were already present; {result.Refused.Count} refused.");
        foreach (var refusal in result.Refused) Console.Error.WriteLine($"Refused: {refusal}");

        {
            var all = await CohortSnapshot.LoadAsync(services.GetRequiredService<IDocumentStore>(), null, null, TimeProvider.System, CancellationToken.None);
            var cohort = StudyAnalyses.Cohort(all.Outcomes);
            var ttp = StudyAnalyses.TimeToProgression(all.Outcomes, TimeUnit.Months).Ttp;
            var response = StudyAnalyses.Response(all.Outcomes);
            var osteo = all.Outcomes.Where(o => o.Histology == "9180/3").ToList();
            var os = StudyAnalyses.OverallSurvival(osteo, TimeUnit.Months);
            Console.WriteLine($"mTKI patients: {cohort.MtkiPatients} ({string.Join(", ", cohort.ByHistology.Where(h => h.MtkiPatients > 0).Select(h => $"{h.MtkiPatients} {h.Name ?? h.Histology}"))})");
            Console.WriteLine($"Median age at mTKI start: {cohort.MedianAgeAtMtkiStart:0.0} years");
            Console.WriteLine($"Median time to progression: {ttp.Median:0.0} months");
            Console.WriteLine($"Responders: {response.Counts.CR + response.Counts.PR} of {response.N} (ORR {response.Orr:P0})");
            if (os.LogRank is { } lr)
                Console.WriteLine($"Osteosarcoma OS after the second-line relapse anchor, mTKI vs control: log-rank chi2({lr.Df}) = {lr.ChiSquare:0.00}, p = {lr.P:0.000}");
        }
        await DemoUser(services.GetRequiredService<UserDirectory>());
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        return result.Refused.Count == 0;
    }

    public const string DemoUserName = "demo-admin";

    /// <summary>Creates demo-admin once and prints its token; a rerun says it exists (the token is not kept, only its hash).</summary>
    static async Task DemoUser(UserDirectory users)
    {
        var issued = await users.AddAsync(DemoUserName, [Role.Admin], "demo");
        if (issued is null)
        {
            Console.WriteLine($"User {DemoUserName} exists; its token was printed when it was created (`users revoke {DemoUserName}`, then run demo again, for a new one).");
            return;
        }
        Console.WriteLine($"Created user {DemoUserName} (role admin) to explore the API and the pages. Its token, shown only this once:");
        Console.WriteLine($"token: {issued.Token}");
    }
}
