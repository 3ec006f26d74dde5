using System.Diagnostics;
using Marten;
using Timeline.Hosting;
using Timeline.Projections;
using Timeline.Projections.ReadModels;
using Wolverine.Http;

namespace Timeline.Analyses;

public sealed record RegenerateAnswer(Guid RunId, long LastSequence, long ElapsedMs);

/// <summary>Rebuilds every projection from the event log, then computes and stores a run of every figure.</summary>
public sealed class Regeneration(IDocumentStore store, TimelineDatabase database, TimeProvider clock)
{
    public async Task<AnalysisRun> RunAsync(string? requestedBy, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await TimelineStore.RebuildChartsAsync(database.ConnectionString, ct);
        await AnalysisInputsRebuild.RebuildAsync(store, null, ct);
        await using var session = store.LightweightSession();
        var snapshot = await CohortSnapshot.LoadAsync(store, null, null, clock, ct);
        var run = new AnalysisRun
        {
            Id = Guid.NewGuid(),
            CreatedAt = clock.GetUtcNow(),
            LastSequence = snapshot.Basis.LastSequence,
            RequestedBy = requestedBy,
            Figures = RunFigures.Compute(snapshot.Outcomes),
        };
        run.ElapsedMs = watch.ElapsedMilliseconds;
        session.Store(run);
        await session.SaveChangesAsync(ct);
        return run;
    }
}

public static class RegenerateEndpoint
{
    [WolverinePost("/api/analyses/regenerate", OperationId = "Regenerate")]
    public static async Task<IResult> Post(Regeneration regeneration, HttpContext http)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;
        var run = await regeneration.RunAsync(user, http.RequestAborted);
        return Results.Ok(new RegenerateAnswer(run.Id, run.LastSequence, run.ElapsedMs));
    }
}
