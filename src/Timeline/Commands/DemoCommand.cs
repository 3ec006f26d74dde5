using System.Text.Json;
using JasperFx.CommandLine;
using Marten;
using Microsoft.Extensions.Options;
using Timeline.Analyses;
using Timeline.Demo;
using Timeline.Projections.Analysis;
using Timeline.Projections.Study;
using Timeline.Recording;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Timeline.Commands;

/// <summary>
/// Records the synthetic demonstration cohort through the recording endpoints themselves (same checks,
/// same append path), skipping patients already present, then prints the study's headline figures.
/// </summary>
[Description("Record the SYNTHETIC demonstration cohort (idempotent) and print the study's figures", Name = "demo")]
public sealed class DemoCommand : JasperFxAsyncCommand<NetCoreInput>
{
    static readonly Dictionary<string, Type> RequestTypes = new()
    {
        ["diagnosis"] = typeof(RecordDiagnosis), ["treatment-line"] = typeof(StartTreatmentLine),
        ["treatment-line-end"] = typeof(EndTreatmentLine), ["response"] = typeof(AssessResponse),
        ["progression"] = typeof(RecordProgression), ["relapse"] = typeof(RecordRelapse),
        ["adverse-event"] = typeof(RecordAdverseEvent), ["follow-up"] = typeof(RecordFollowUp), ["death"] = typeof(RecordDeath),
    };

    public override async Task<bool> Execute(NetCoreInput input)
    {
        var host = input.BuildHost();
        var services = host.Services;
        var streams = services.GetRequiredService<PatientStreams>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        Console.WriteLine(DemoCohort.Label);

        var skipped = new HashSet<string>();
        int recorded = 0, refused = 0;
        foreach (var fact in DemoCohort.Facts)
        {
            if (skipped.Contains(fact.PatientId)) continue;
            var body = JsonSerializer.SerializeToElement(fact.Body, JsonSerializerOptions.Web);
            var http = new DefaultHttpContext { RequestServices = services };
            var result = fact.Type == "enrolment"
                ? await EnrolPatientEndpoint.Post(body.Deserialize<EnrolPatient>(json), streams, http)
                : await streams.Into(fact.PatientId, (IFactRequest?)body.Deserialize(RequestTypes[fact.Type], json), http);
            http.Response.Body = Stream.Null;
            await result.ExecuteAsync(http);
            if (fact.Type == "enrolment" && http.Response.StatusCode == StatusCodes.Status409Conflict) { skipped.Add(fact.PatientId); continue; }
            if (http.Response.StatusCode is >= 200 and < 300) recorded++;
            else { refused++; Console.Error.WriteLine($"Refused ({http.Response.StatusCode}): {fact.PatientId} {fact.Type}"); }
        }
        Console.WriteLine($"Recorded {recorded} facts; {skipped.Count} patients were already present; {refused} refused.");

        await using (var session = services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var all = await CohortSnapshot.LoadAsync(session, null, null, TimeProvider.System, CancellationToken.None);
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
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        return refused == 0;
    }
}
