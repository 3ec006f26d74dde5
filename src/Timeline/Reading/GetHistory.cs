using System.Text.RegularExpressions;
using JasperFx.Events;
using Marten;
using Timeline.Projections.Events;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Reading;

public sealed record CorrectionLink(Guid EventId, string Reason);

/// <summary>One recorded event as an auditor sees it: what, when, by whom, and what became of it.</summary>
public sealed record HistoryEntry(
    Guid EventId, long Version, long Sequence, string Type, DateTimeOffset RecordedAt, string RecordedBy,
    object Data, string Status, Guid? CorrectedBy, CorrectionLink? Correction)
{
    /// <summary>Where an imported fact was read ("cohort.ndjson line 12"); null for a fact recorded through a route.</summary>
    public string? Source { get; init; }
}

public static partial class GetHistoryEndpoint
{
    [WolverineGet("/api/patients/{patientId}/history", OperationId = "GetHistory")]
    public static async Task<IResult> Get(string patientId, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(patientId, token: ct);
        if (events.Count == 0) return Problems.UnknownPatient(patientId);
        return Results.Ok(Build(events));
    }

    /// <summary>
    /// The author shown for an event stored without one (only events written before every write path named its
    /// user): the history never shows an empty author, and says plainly that it is not known.
    /// </summary>
    public const string UnknownRecorder = "unknown";

    public static List<HistoryEntry> Build(IReadOnlyList<IEvent> events)
    {
        // Later corrections win: the last one names the fact's current state.
        var status = new Dictionary<Guid, (string Status, Guid By)>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case FactCorrected c: status[c.EventId] = ("corrected", e.Id); break;
                case FactRetracted r: status[r.EventId] = ("retracted", e.Id); break;
            }
        }
        return events.Select(e =>
        {
            var (state, by) = status.TryGetValue(e.Id, out var s) ? (s.Status, (Guid?)s.By) : ("active", null);
            var link = e.Data switch
            {
                FactCorrected c => new CorrectionLink(c.EventId, c.Reason),
                FactRetracted r => new CorrectionLink(r.EventId, r.Reason),
                _ => null,
            };
            return new HistoryEntry(e.Id, e.Version, e.Sequence, TypeName(e.Data), e.Timestamp,
                string.IsNullOrEmpty(e.UserName) ? UnknownRecorder : e.UserName, e.Data, state, by, link)
            {
                Source = e.Headers?.TryGetValue(Import.BulkImporter.SourceHeader, out var source) == true ? source?.ToString() : null,
            };
        }).ToList();
    }

    /// <summary>"TreatmentLineStarted" → "treatment-line-started".</summary>
    public static string TypeName(object data) => Words().Replace(data.GetType().Name, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}
