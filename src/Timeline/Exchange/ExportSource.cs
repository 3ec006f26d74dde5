using Marten;
using Npgsql;
using NpgsqlTypes;
using Timeline.Analyses;
using Timeline.Projections.Patients;

namespace Timeline.Exchange;

/// <summary>
/// The data an export is written from: the analyses' per-patient outcomes (the same rows a figure with the same
/// parameters reads), the time the data stood at, and the stream version of every source event.
/// </summary>
/// <param name="CreatedFrom">
/// The recorded time of the last event the basis reflects (the event with sequence <c>basis.lastSequence</c>), or
/// asOf when no event is in it: the one timestamp the data files carry. It depends on the data alone, so an export
/// as of a time before a correction is byte for byte the export made then.
/// </param>
/// <param name="Versions">
/// Each source event's version in its patient's stream (the ADaM SRCSEQ), read in one query by event id. Marten keeps
/// no index on the event id, so that query scans the event table once (selecting ids and versions only; not measured at scale):
/// a cost paid once per export, not per patient.
/// </param>
public sealed record ExportSource(ExportQuery Query, CohortSnapshot Snapshot, DateTimeOffset CreatedFrom, IReadOnlyDictionary<Guid, long> Versions)
{
    public IReadOnlyList<PatientOutcome> Outcomes => Snapshot.Outcomes;

    public static async Task<ExportSource> LoadAsync(IDocumentStore store, ExportQuery query, TimeProvider clock, CancellationToken ct)
    {
        var snapshot = await CohortSnapshot.LoadAsync(store, query.HistologyCode, query.AsOf, clock, ct);
        var ids = snapshot.Outcomes.SelectMany(SourceIds).Distinct().ToArray();

        var events = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var versions = new Dictionary<Guid, long>();
        DateTimeOffset? last = null;
        await using (var command = new NpgsqlCommand(
            $"select id, version, seq_id, timestamp from {events}.mt_events where id = any($1) or seq_id = $2", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Basis.LastSequence, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                versions[reader.GetGuid(0)] = reader.GetInt64(1);
                if (reader.GetInt64(2) == snapshot.Basis.LastSequence)
                    last = new DateTimeOffset(reader.GetFieldValue<DateTime>(3).ToUniversalTime(), TimeSpan.Zero);
            }
        }
        var createdFrom = last ?? query.AsOf?.ToUniversalTime() ?? DateTimeOffset.UnixEpoch;
        return new ExportSource(query, snapshot, createdFrom, versions);
    }

    static IEnumerable<Guid> SourceIds(PatientOutcome o) =>
        o.Sources is not { } s ? []
            : new[] { s.Anchor, s.OverallSurvivalEnd, s.MtkiStart, s.TimeToProgressionEnd, s.ProgressionFreeSurvivalEnd, s.BestResponse }
                .Where(g => g is not null).Select(g => g!.Value);

    /// <summary>The stream version of an event, or null when unknown.</summary>
    public long? VersionOf(Guid? eventId) => eventId is { } id && Versions.TryGetValue(id, out var v) ? v : null;
}
