using JasperFx.Events;
using Marten;
using Npgsql;
using Timeline.Projections.Patients;

namespace Timeline.Projections.ReadModels;

/// <summary>
/// Rebuilds the analyses' read model from the whole event log (regeneration): every patient's stream is replayed
/// in order, and each recorded time at which the patient's state changed becomes one row, exactly as the appends
/// made them (the events of one transaction share its recorded time, so they make one state). The old rows are
/// replaced in one transaction: readers see the old model or the new one, never a mix.
/// </summary>
public static class AnalysisInputsRebuild
{
    /// <summary>Patients replayed per read: a page of streams and their events stays a few tens of MB.</summary>
    const int PatientsPerPage = 5_000;

    public static async Task<long> RebuildAsync(IDocumentStore store, IProgress<long>? progress, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        var events = store.Options.Events.DatabaseSchemaName;
        await using var writer = store.Storage.Database.CreateConnection();
        await writer.OpenAsync(ct);
        await using var transaction = await writer.BeginTransactionAsync(ct);
        await using (var clear = new NpgsqlCommand($"delete from {schema}.{AnalysisInputs.TableName}", writer, transaction))
            await clear.ExecuteNonQueryAsync(ct);

        long rows = 0;
        await using (var copy = await writer.BeginBinaryImportAsync(AnalysisInputs.CopyStatement(schema), ct))
        {
            await using var session = store.QuerySession();
            string after = "";
            while (true)
            {
                var ids = await StreamIdsAsync(store, events, after, ct);
                if (ids.Length == 0) break;
                var page = await session.Events.QueryAllRawEvents().Where(e => e.StreamKey!.IsOneOf(ids))
                    .OrderBy(e => e.StreamKey).ThenBy(e => e.Version).ToListAsync(ct);
                foreach (var stream in page.GroupBy(e => e.StreamKey!))
                    rows += await WriteStatesAsync(copy, stream.Key, stream.ToList(), ct);
                after = ids[^1];
                progress?.Report(rows);
            }
            await copy.CompleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return rows;
    }

    /// <summary>One row per recorded time of the stream, each valid until the next.</summary>
    static async Task<int> WriteStatesAsync(NpgsqlBinaryImporter copy, string patientId, List<IEvent> stream, CancellationToken ct)
    {
        // A data query's stream ("Q-…") is no patient: a chart starts at its enrolment, as in the chart projection.
        if (stream.Count == 0 || stream[0].Data is not Events.PatientEnrolled) return 0;
        var chart = new PatientChart { Id = patientId };
        Dictionary<string, object?>? pending = null;
        DateTimeOffset pendingFrom = default;
        var written = 0;
        for (var i = 0; i < stream.Count; i++)
        {
            var e = stream[i];
            chart.Apply(e.Id, e.Version, e.Sequence, e.Data);
            // The state after the last event of a transaction (the next event, if any, was recorded later).
            if (i + 1 < stream.Count && stream[i + 1].Timestamp == e.Timestamp) continue;
            if (pending is not null)
            {
                await AnalysisInputs.WriteRowAsync(copy, pending, pendingFrom, e.Timestamp, chart.LastSequence, ct);
                written++;
            }
            pending = AnalysisInputs.Row(chart);
            pendingFrom = e.Timestamp;
        }
        if (pending is not null)
        {
            await AnalysisInputs.WriteRowAsync(copy, pending, pendingFrom, null, null, ct);
            written++;
        }
        return written;
    }

    static async Task<string[]> StreamIdsAsync(IDocumentStore store, string schema, string after, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand(
            $"select id from {schema}.mt_streams where id > $1 order by id limit {PatientsPerPage}", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = after });
        var ids = new List<string>(PatientsPerPage);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return [.. ids];
    }
}
