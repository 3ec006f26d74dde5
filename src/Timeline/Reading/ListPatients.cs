using Marten;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Patients;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Reading;

public sealed record PatientListItem(string PatientId, string? Histology, string? HistologyName, string Status, long Version);

public static class ListPatientsEndpoint
{
    /// <summary>Every enrolled patient, optionally of one histology (a study name or an ICD-O-3 code).</summary>
    [WolverineGet("/api/patients", OperationId = "ListPatients")]
    public static async Task<IResult> Get(string? histology, IDocumentStore store, CancellationToken ct)
    {
        var code = ParseHistologyFilter(histology, out var problem);
        if (problem is not null) return problem;
        await using var session = store.QuerySession();
        IQueryable<PatientChart> charts = session.Query<PatientChart>();
        if (code is not null) charts = charts.Where(c => c.Histology == code);
        var found = await charts.OrderBy(c => c.Id).ToListAsync(ct);
        return Results.Ok(found.Select(c => new PatientListItem(c.Id, c.Histology, Histologies.NameOf(c.Histology), c.Status, c.Version)));
    }

    /// <summary>A ?histology= filter (a study name or an ICD-O-3 code) as a code; null for no filter.</summary>
    public static string? ParseHistologyFilter(string? histology, out IResult? problem)
    {
        var code = Histologies.ToCode(histology);
        problem = !string.IsNullOrWhiteSpace(histology) && code is null
            ? Problems.Invalid("histology", $"histology '{histology}' is neither a known name nor an ICD-O-3 morphology code.")
            : null;
        return code;
    }
}
