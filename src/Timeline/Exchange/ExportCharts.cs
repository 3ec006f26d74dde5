using JasperFx.Events;
using Marten;
using Timeline.Projections.Patients;

namespace Timeline.Exchange;

/// <summary>
/// The exported patients' charts (every fact with corrections applied) from the events of the export's basis: those
/// with a sequence up to <c>basis.lastSequence</c> and, as of a past time, recorded by then. Read a page of patients
/// at a time, in the outcomes' order, so memory holds one page.
/// </summary>
public static class ExportCharts
{
    const int PageSize = 500;

    public static async IAsyncEnumerable<PatientChart> ReadAsync(IDocumentStore store, ExportSource source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var last = source.Snapshot.Basis.LastSequence;
        var asOf = source.Query.AsOf;
        await using var session = store.QuerySession();
        foreach (var page in source.Outcomes.Select(o => o.PatientId).Chunk(PageSize))
        {
            var query = session.Events.QueryAllRawEvents().Where(e => e.StreamKey!.IsOneOf(page) && e.Sequence <= last);
            if (asOf is { } at) query = query.Where(e => e.Timestamp <= at);
            var events = await query.OrderBy(e => e.StreamKey).ThenBy(e => e.Version).ToListAsync(ct);
            var byPatient = events.GroupBy(e => e.StreamKey!).ToDictionary(g => g.Key, g => (IEnumerable<IEvent>)g);
            foreach (var id in page)
                if (byPatient.TryGetValue(id, out var stream)) yield return PatientChart.Replay(id, stream);
        }
    }
}
