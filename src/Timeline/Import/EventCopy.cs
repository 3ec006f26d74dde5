using System.Collections.Concurrent;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Timeline.Projections.Patients;
using Timeline.Projections.ReadModels;

namespace Timeline.Import;

/// <summary>
/// Writes a batch of new patients with PostgreSQL's binary COPY, in one transaction: their streams, their events
/// (real versions 1..n and global sequences drawn from the store's own event sequence, as a Rich append gives)
/// their charts (the inline projection's documents, built by the same fold) and their rows of the analyses' read model. The rows are those Marten's
/// append writes (same serializer, event type names, metadata columns); a test holds the two paths to that.
/// A row that already exists (a patient enrolled meanwhile) fails the COPY: the caller falls back to Marten's
/// append, patient by patient.
/// </summary>
public sealed class EventCopy(IDocumentStore store)
{
    const string Tenant = "*DEFAULT*";

    readonly string events = store.Options.Events.DatabaseSchemaName;
    readonly string documents = store.Options.DatabaseSchemaName;
    readonly ISerializer serializer = store.Options.Serializer();
    readonly ConcurrentDictionary<Type, (string Name, string DotNet)> names = new(); // writers run in parallel

    /// <summary>The ids among <paramref name="ids"/> that already have a stream.</summary>
    public async Task<HashSet<string>> ExistingAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = new NpgsqlCommand($"select id from {events}.mt_streams where id = any($1)", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.GetString(0));
        return found;
    }

    /// <summary>Appends every patient's stream in one transaction; false when one of them already exists (nothing written).</summary>
    public async Task<bool> TryWriteAsync(IReadOnlyList<PatientHistory> patients, string recordedBy, Func<long, string> sourceOf, CancellationToken ct)
    {
        var total = patients.Sum(p => p.Facts.Count);
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var sequences = new long[total];
        DateTimeOffset now = default;
        await using (var reserve = new NpgsqlCommand(
            $"select nextval('{events}.mt_events_sequence'), now() from generate_series(1, $1)", connection, transaction))
        {
            reserve.Parameters.Add(new NpgsqlParameter { Value = total });
            await using var reader = await reserve.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++)
            {
                sequences[i] = reader.GetInt64(0);
                now = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }
        Array.Sort(sequences);

        try
        {
            await using (var streams = await connection.BeginBinaryImportAsync(
                $"copy {events}.mt_streams (id, version, timestamp, created, tenant_id) from stdin (format binary)", ct))
            {
                foreach (var p in patients)
                {
                    streams.StartRow();
                    streams.Write(p.PatientId!, NpgsqlDbType.Varchar);
                    streams.Write((long)p.Facts.Count, NpgsqlDbType.Bigint);
                    streams.Write(now, NpgsqlDbType.TimestampTz);
                    streams.Write(now, NpgsqlDbType.TimestampTz);
                    streams.Write(Tenant, NpgsqlDbType.Varchar);
                }
                await streams.CompleteAsync(ct);
            }

            var ids = new EventIds(now);
        var charts = new List<PatientChart>(patients.Count);
            var next = 0;
            await using (var rows = await connection.BeginBinaryImportAsync(
                $"copy {events}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, headers, is_archived) from stdin (format binary)", ct))
            {
                foreach (var p in patients)
                {
                    var chart = new PatientChart { Id = p.PatientId! };
                    for (var v = 0; v < p.Facts.Count; v++)
                    {
                        var fact = p.Facts[v];
                        var (name, dotNet) = NameOf(fact.GetType());
                        var id = ids.Next();
                        var sequence = sequences[next++];
                        rows.StartRow();
                        rows.Write(sequence, NpgsqlDbType.Bigint);
                        rows.Write(id, NpgsqlDbType.Uuid);
                        rows.Write(p.PatientId!, NpgsqlDbType.Varchar);
                        rows.Write((long)(v + 1), NpgsqlDbType.Bigint);
                        rows.Write(serializer.ToJson(fact), NpgsqlDbType.Jsonb);
                        rows.Write(name, NpgsqlDbType.Varchar);
                        rows.Write(now, NpgsqlDbType.TimestampTz);
                        rows.Write(Tenant, NpgsqlDbType.Varchar);
                        rows.Write(dotNet, NpgsqlDbType.Varchar);
                        rows.Write(recordedBy, NpgsqlDbType.Varchar);
                        rows.Write(serializer.ToJson(new Dictionary<string, object> { [BulkImporter.SourceHeader] = sourceOf(p.Lines[v]) }), NpgsqlDbType.Jsonb);
                        rows.Write(false, NpgsqlDbType.Boolean);
                        chart.Apply(id, v + 1, sequence, fact);
                    }
                    charts.Add(chart);
                }
                await rows.CompleteAsync(ct);
            }

            await using (var docs = await connection.BeginBinaryImportAsync(
                $"copy {documents}.mt_doc_patientchart (id, data, mt_last_modified, mt_version, mt_dotnet_type) from stdin (format binary)", ct))
            {
                var chartType = typeof(PatientChart).FullName!;
                foreach (var chart in charts)
                {
                    docs.StartRow();
                    docs.Write(chart.Id, NpgsqlDbType.Varchar);
                    docs.Write(serializer.ToJson(chart), NpgsqlDbType.Jsonb);
                    docs.Write(now, NpgsqlDbType.TimestampTz);
                    docs.Write(chart.Version, NpgsqlDbType.Bigint);
                    docs.Write(chartType, NpgsqlDbType.Varchar);
                }
                await docs.CompleteAsync(ct);
            }
            // The analyses' read model: each patient's one state, valid from this transaction's recorded time.
            await using (var inputs = await connection.BeginBinaryImportAsync(AnalysisInputs.CopyStatement(documents), ct))
            {
                foreach (var chart in charts)
                    await AnalysisInputs.WriteRowAsync(inputs, AnalysisInputs.Row(chart), now, null, null, ct);
                await inputs.CompleteAsync(ct);
            }
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }
    }

    /// <summary>
    /// Version 7 UUIDs (RFC 9562: the time in milliseconds, then random bits) for one batch. The random bits come from
    /// a per-batch seed drawn once from the system's generator, so a batch of thousands costs no system calls; the
    /// ids are unique, not secret, like the ones Marten assigns on append.
    /// </summary>
    sealed class EventIds(DateTimeOffset at)
    {
        readonly Random random = new(System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue));
        readonly long milliseconds = at.ToUnixTimeMilliseconds();

        public Guid Next()
        {
            Span<byte> b = stackalloc byte[16];
            random.NextBytes(b[6..]);
            for (var i = 0; i < 6; i++) b[i] = (byte)(milliseconds >> (40 - 8 * i));
            b[6] = (byte)(0x70 | (b[6] & 0x0F)); // version 7
            b[8] = (byte)(0x80 | (b[8] & 0x3F)); // RFC 9562 variant
            return new Guid(b, bigEndian: true);
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of the tables an import grew (PostgreSQL's advice after a bulk load), so
    /// the queries after it (the rebuild's paging through the log, the patient list) are planned for their size
    /// without waiting for autovacuum.
    /// </summary>
    public async Task AnalyzeAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var analyze = new NpgsqlCommand(
            $"analyze {events}.mt_events; analyze {events}.mt_streams; analyze {documents}.mt_doc_patientchart", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync(ct);
    }

    async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Marten's names for an event type: the type column (snake case) and the .NET type column.</summary>
    (string Name, string DotNet) NameOf(Type type) =>
        names.GetOrAdd(type, t => (t.GetEventTypeName(), $"{t.FullName}, {t.Assembly.GetName().Name}"));
}
