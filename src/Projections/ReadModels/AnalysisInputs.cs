using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Timeline.Projections.ReadModels;

/// <summary>
/// The analyses' read model: one compact row per patient and state, with everything the figures need (the
/// <see cref="PatientOutcome"/> and the events each value came from). It is system-versioned by recorded time:
/// a row holds from <c>valid_from</c> (the recorded time of the transaction that produced that state) until
/// <c>valid_to</c> (the next one's), null while current. So "now" is the rows with no <c>valid_to</c>, and "as of
/// T" is one range query instead of a replay of the log. <c>sequence</c> is the patient's last event sequence in
/// that state and <c>to_sequence</c> the one that replaced it: the range of the log during which the row held.
/// Every state of a patient is one row, read in one statement, so an analysis never mixes two states of a patient.
/// The current rows also serve the patient list (status, version), a page at a time.
/// </summary>
public static class AnalysisInputs
{
    public const string TableName = "analysis_inputs";
    public const string WrittenBy = "written_by";

    /// <summary>The columns, in order, with their PostgreSQL types; the row's JSON uses the same names.</summary>
    public static readonly (string Name, string Type)[] Columns =
    [
        ("patient_id", "varchar"), ("valid_from", "timestamptz"), ("valid_to", "timestamptz"),
        ("sequence", "bigint"), ("to_sequence", "bigint"),
        ("version", "bigint"), ("status", "varchar"),
        ("histology", "varchar"), ("birth_date", "date"), ("sex", "varchar"), ("metastatic", "boolean"),
        ("last_contact", "date"), ("anchor_date", "date"), ("anchor_kind", "varchar"),
        ("first_mtki_line", "integer"), ("first_mtki_start", "date"), ("first_mtki_drug", "varchar"), ("age_at_mtki_start", "integer"),
        ("survival_group", "varchar"), ("exclusion_reason", "varchar"),
        ("os_days", "integer"), ("os_event", "boolean"), ("ttp_days", "integer"), ("ttp_event", "boolean"),
        ("pfs_days", "integer"), ("pfs_event", "boolean"), ("best_response", "varchar"),
        ("anchor_event", "uuid"), ("os_end_event", "uuid"), ("mtki_start_event", "uuid"),
        ("ttp_end_event", "uuid"), ("pfs_end_event", "uuid"), ("best_response_event", "uuid"),
        // The patient's typed missing values ("diagnosis.metastatic=not-done,…"; PatientOutcome.MissingValues), so an
        // analysis counts the patients each one affected from the same row, now and as of any time.
        ("missing_values", "varchar"),
    ];

    /// <summary>The columns an append's insert takes from the row's JSON: all but the patient id and the validity.</summary>
    static readonly string StateColumns = string.Join(", ", Columns.Skip(3).Select(c => c.Name));

    /// <summary>The table, created and migrated with the store's own schema (db-apply, start-up).</summary>
    public static Table Table(string schema)
    {
        // Plain lower-case identifiers: the obsolete overload is the one that leaves them as written.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        foreach (var (name, type) in Columns)
        {
            var column = table.AddColumn(name, type);
            if (name is "patient_id" or "valid_from" or "sequence") column.NotNull();
        }
        // The transaction that wrote the row (or closed it): what changed since a snapshot, for the in-memory copy
        // of the current rows (CurrentAnalysisInputs). Set by default on insert and by the update that closes a row.
        table.AddColumn(WrittenBy, "xid8").NotNull().DefaultValueByExpression("pg_current_xact_id()");
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_written_by").AgainstColumns(WrittenBy));
        // At most one current row per patient: the database holds the read model to it.
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_current") { IsUnique = true, Predicate = "valid_to is null" }.AgainstColumns("patient_id"));
        // The patient list's pages: keyset by patient id in byte order (ids are ASCII), current rows only.
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_list") { Collation = "C", Predicate = "valid_to is null" }.AgainstColumns("patient_id"));
        // As-of reads and a patient's states.
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_patient").AgainstColumns("patient_id", "valid_from"));
        return table;
    }

    /// <summary>
    /// The SQL that makes <paramref name="chart"/> the patient's current state, in the transaction that recorded
    /// its events: the current row closes and a new one opens at the recorded time the store gave the patient's
    /// last event (read back from the event row written earlier in the same batch, so the two cannot differ).
    /// </summary>
    public static IEnumerable<(string Sql, object[] Parameters)> NewState(string schema, PatientChart chart)
    {
        var recorded = $"(select timestamp from {schema}.mt_events where seq_id = ?)";
        yield return ($"update {schema}.{TableName} set valid_to = {recorded}, to_sequence = ?, {WrittenBy} = pg_current_xact_id() where patient_id = ? and valid_to is null",
            [chart.LastSequence, chart.LastSequence, chart.Id]);
        yield return ($"insert into {schema}.{TableName} (patient_id, valid_from, valid_to, {StateColumns}) "
            + $"select patient_id, {recorded}, null, {StateColumns} from jsonb_populate_record(null::{schema}.{TableName}, ?::jsonb)",
            [chart.LastSequence, JsonSerializer.Serialize(Row(chart))]);
    }

    /// <summary>One state of a patient as the table's row (column name to value); validity is set by the writer.</summary>
    public static Dictionary<string, object?> Row(PatientChart chart)
    {
        var o = PatientOutcome.From(chart);
        var s = o.Sources ?? OutcomeSources.None;
        return new Dictionary<string, object?>(Columns.Length)
        {
            ["patient_id"] = o.PatientId, ["sequence"] = chart.LastSequence, ["version"] = chart.Version, ["status"] = chart.Status,
            ["histology"] = o.Histology, ["birth_date"] = o.BirthDate, ["sex"] = o.Sex?.ToString().ToLowerInvariant(), ["metastatic"] = o.Metastatic,
            ["last_contact"] = o.LastContact, ["anchor_date"] = o.Anchor?.Date, ["anchor_kind"] = o.Anchor?.Kind,
            ["first_mtki_line"] = o.FirstMtkiLine, ["first_mtki_start"] = o.FirstMtkiStart, ["first_mtki_drug"] = o.FirstMtkiDrug,
            ["age_at_mtki_start"] = o.AgeAtMtkiStart, ["survival_group"] = o.Group, ["exclusion_reason"] = o.ExclusionReason,
            ["os_days"] = o.OverallSurvival?.Days, ["os_event"] = o.OverallSurvival?.Event,
            ["ttp_days"] = o.TimeToProgression?.Days, ["ttp_event"] = o.TimeToProgression?.Event,
            ["pfs_days"] = o.ProgressionFreeSurvival?.Days, ["pfs_event"] = o.ProgressionFreeSurvival?.Event,
            ["best_response"] = o.BestOverallResponse?.ToString(),
            ["anchor_event"] = s.Anchor, ["os_end_event"] = s.OverallSurvivalEnd, ["mtki_start_event"] = s.MtkiStart,
            ["ttp_end_event"] = s.TimeToProgressionEnd, ["pfs_end_event"] = s.ProgressionFreeSurvivalEnd, ["best_response_event"] = s.BestResponse,
            ["missing_values"] = o.MissingValues,
        };
    }

    /// <summary>The COPY statement whose rows <see cref="WriteRow"/> writes, every column in order.</summary>
    public static string CopyStatement(string schema) =>
        $"copy {schema}.{TableName} ({string.Join(", ", Columns.Select(c => c.Name))}) from stdin (format binary)";

    /// <summary>Writes one state as a COPY row (the import and the rebuild), valid from one recorded time until the next.</summary>
    public static async Task WriteRowAsync(NpgsqlBinaryImporter copy, Dictionary<string, object?> row,
        DateTimeOffset validFrom, DateTimeOffset? validTo, long? toSequence, CancellationToken ct)
    {
        row["valid_from"] = validFrom;
        row["valid_to"] = validTo;
        row["to_sequence"] = toSequence;
        await copy.StartRowAsync(ct);
        foreach (var (name, type) in Columns)
        {
            if (row[name] is not { } value) await copy.WriteNullAsync(ct);
            else await copy.WriteAsync(value, DbType(type), ct);
        }
    }

    static NpgsqlDbType DbType(string type) => type switch
    {
        "varchar" => NpgsqlDbType.Varchar,
        "timestamptz" => NpgsqlDbType.TimestampTz,
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "boolean" => NpgsqlDbType.Boolean,
        "date" => NpgsqlDbType.Date,
        "uuid" => NpgsqlDbType.Uuid,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No COPY type for this column type."),
    };

    /// <summary>Sex as the enrolment names it, from the row's lower-case text.</summary>
    public static Sex? ParseSex(string? text) => text is null ? null : Enum.Parse<Sex>(text, ignoreCase: true);
}
