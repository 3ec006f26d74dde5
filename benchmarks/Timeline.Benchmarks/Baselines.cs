using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Timeline.Benchmarks;

/// <summary>
/// What PostgreSQL does on its own on the same server, the yardsticks of the figures: a binary COPY of the
/// event rows into a table of the event table's shape, and single-row INSERT transactions from N connections.
/// Both tables live in the schema <c>bench</c>, dropped at the end.
/// </summary>
public static class Baselines
{
    const string Columns = "seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, is_archived";

    public static async Task CreateAsync(string connectionString, string eventSchema, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await Execute(connection, $"""
            drop schema if exists bench cascade;
            create schema bench;
            create table bench.copy_events (like {eventSchema}.mt_events including defaults including constraints including indexes);
            create table bench.insert_events (like {eventSchema}.mt_events including defaults including constraints including indexes);
            create sequence bench.insert_sequence;
            create table bench.copy_streams (like {eventSchema}.mt_streams including defaults including constraints including indexes);
            create table bench.copy_charts (like {eventSchema}.mt_doc_patientchart including defaults including constraints including indexes);
            """, ct);
    }

    public static async Task DropAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await Execute(connection, "drop schema if exists bench cascade", ct);
    }

    /// <summary>
    /// Copies every row of the event table into bench.copy_events by binary COPY, chunk by chunk: each chunk is
    /// read into memory first (not timed), so only the COPY itself is timed. Returns rows and seconds.
    /// </summary>
    public static async Task<(long Rows, double Seconds)> CopyEventsAsync(string connectionString, string eventSchema, CancellationToken ct)
    {
        const int chunk = 100_000;
        await using var connection = await OpenAsync(connectionString, ct);
        long last = 0, rows = 0;
        var timed = TimeSpan.Zero;
        var buffer = new List<object?[]>(chunk);
        while (true)
        {
            buffer.Clear();
            await using (var read = new NpgsqlCommand(
                $"select seq_id, id, stream_id, version, data::text, type, timestamp, tenant_id, mt_dotnet_type, user_name, is_archived " +
                $"from {eventSchema}.mt_events where seq_id > $1 order by seq_id limit {chunk}", connection))
            {
                read.Parameters.Add(new NpgsqlParameter { Value = last });
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var row = new object?[11];
                    for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    buffer.Add(row);
                }
            }
            if (buffer.Count == 0) break;
            last = (long)buffer[^1][0]!;

            var watch = Stopwatch.StartNew();
            await using (var copy = await connection.BeginBinaryImportAsync($"copy bench.copy_events ({Columns}) from stdin (format binary)", ct))
            {
                foreach (var row in buffer)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync((long)row[0]!, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync((Guid)row[1]!, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync((string)row[2]!, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync((long)row[3]!, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync((string)row[4]!, NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync((string)row[5]!, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync((DateTime)row[6]!, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync((string)row[7]!, NpgsqlDbType.Varchar, ct);
                    await WriteText(copy, row[8], ct);
                    await WriteText(copy, row[9], ct);
                    await copy.WriteAsync((bool)row[10]!, NpgsqlDbType.Boolean, ct);
                }
                await copy.CompleteAsync(ct);
            }
            timed += watch.Elapsed;
            rows += buffer.Count;
        }
        return (rows, timed.TotalSeconds);
    }

    /// <summary>
    /// The other rows an import writes beside the events, copied the same way (read first, then only the COPY timed):
    /// one stream row and one chart document per patient. Returns rows and seconds.
    /// </summary>
    public static async Task<(long Rows, double Seconds)> CopyStreamsAndChartsAsync(string connectionString, string schema, CancellationToken ct)
    {
        var (streams, s1) = await CopyByIdAsync(connectionString, $"{schema}.mt_streams", "bench.copy_streams",
            [("id", NpgsqlDbType.Varchar), ("version", NpgsqlDbType.Bigint), ("timestamp", NpgsqlDbType.TimestampTz),
             ("created", NpgsqlDbType.TimestampTz), ("tenant_id", NpgsqlDbType.Varchar)], ct);
        var (charts, s2) = await CopyByIdAsync(connectionString, $"{schema}.mt_doc_patientchart", "bench.copy_charts",
            [("id", NpgsqlDbType.Varchar), ("data", NpgsqlDbType.Jsonb), ("mt_last_modified", NpgsqlDbType.TimestampTz),
             ("mt_version", NpgsqlDbType.Bigint), ("mt_dotnet_type", NpgsqlDbType.Varchar)], ct);
        return (streams + charts, s1 + s2);
    }

    static async Task<(long Rows, double Seconds)> CopyByIdAsync(string connectionString, string from, string to,
        (string Name, NpgsqlDbType Type)[] columns, CancellationToken ct)
    {
        const int chunk = 20_000;
        await using var connection = await OpenAsync(connectionString, ct);
        var select = string.Join(", ", columns.Select(c => c.Type == NpgsqlDbType.Jsonb ? $"{c.Name}::text" : c.Name));
        var names = string.Join(", ", columns.Select(c => c.Name));
        string? last = null;
        long rows = 0;
        var timed = TimeSpan.Zero;
        var buffer = new List<object?[]>(chunk);
        while (true)
        {
            buffer.Clear();
            await using (var read = new NpgsqlCommand($"select {select} from {from} where $1::varchar is null or id > $1 order by id limit {chunk}", connection))
            {
                read.Parameters.Add(new NpgsqlParameter { Value = (object?)last ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var row = new object?[columns.Length];
                    for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    buffer.Add(row);
                }
            }
            if (buffer.Count == 0) break;
            last = (string)buffer[^1][0]!;
            var watch = Stopwatch.StartNew();
            await using (var copy = await connection.BeginBinaryImportAsync($"copy {to} ({names}) from stdin (format binary)", ct))
            {
                foreach (var row in buffer)
                {
                    await copy.StartRowAsync(ct);
                    for (var i = 0; i < columns.Length; i++)
                    {
                        if (row[i] is null) await copy.WriteNullAsync(ct);
                        else await copy.WriteAsync(row[i]!, columns[i].Type, ct);
                    }
                }
                await copy.CompleteAsync(ct);
            }
            timed += watch.Elapsed;
            rows += buffer.Count;
        }
        return (rows, timed.TotalSeconds);
    }

    static async Task WriteText(NpgsqlBinaryImporter copy, object? value, CancellationToken ct)
    {
        if (value is string text) await copy.WriteAsync(text, NpgsqlDbType.Varchar, ct);
        else await copy.WriteNullAsync(ct);
    }

    /// <summary>
    /// Single-row INSERT transactions (autocommit, prepared) of an event-shaped row from <paramref name="clients"/>
    /// connections for <paramref name="duration"/>: the most a bare client can append one row at a time.
    /// </summary>
    public static async Task<(long Rows, double Seconds, List<double> LatenciesMs)> SingleRowInsertsAsync(
        string connectionString, int clients, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new List<double>[clients];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = latencies[client] = new List<double>(100_000);
            await using var connection = await OpenAsync(connectionString, ct);
            await using var insert = new NpgsqlCommand(
                $"insert into bench.insert_events ({Columns}) values (nextval('bench.insert_sequence'), $1, $2, 1, $3, 'follow_up_recorded', now(), '*DEFAULT*', " +
                "'Timeline.Projections.Events.FollowUpRecorded, Timeline.Projections', 'bench', false)", connection);
            var id = new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid };
            var stream = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar };
            var data = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = """{"date": "2020-01-01"}""" };
            insert.Parameters.Add(id);
            insert.Parameters.Add(stream);
            insert.Parameters.Add(data);
            await insert.PrepareAsync(ct);
            var one = new Stopwatch();
            for (var i = 0; watch.Elapsed < duration; i++)
            {
                id.TypedValue = Guid.CreateVersion7();
                stream.TypedValue = $"INS-{client}-{i}";
                one.Restart();
                await insert.ExecuteNonQueryAsync(ct);
                mine.Add(one.Elapsed.TotalMilliseconds);
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return (all.Count, seconds, all);
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<T> Scalar<T>(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
