using System.Data;
using Marten;
using Npgsql;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Projections.ReadModels;

/// <summary>The patients' outcomes an analysis runs on, and the last event sequence they reflect.</summary>
public sealed record AnalysisInputsState(IReadOnlyList<PatientOutcome> Outcomes, long LastSequence);

/// <summary>
/// Reads the analyses' read model: the current rows, or the rows valid at a past recorded time. Both the rows and
/// the basis come from one snapshot of the database (a repeatable-read transaction), so an answer never mixes
/// two states of the log.
/// </summary>
public static class AnalysisInputsReader
{
    internal const string Selected =
        "patient_id, histology, birth_date, sex, metastatic, last_contact, anchor_date, anchor_kind, first_mtki_line, first_mtki_start, "
        + "first_mtki_drug, age_at_mtki_start, survival_group, exclusion_reason, os_days, os_event, ttp_days, ttp_event, pfs_days, pfs_event, "
        + "best_response, anchor_event, os_end_event, mtki_start_event, ttp_end_event, pfs_end_event, best_response_event, sequence, missing_values";

    /// <param name="histologyCode">Only patients of this ICD-O-3 code; null for all. The basis is the whole log's either way.</param>
    /// <param name="asOf">The recorded time to read the state at; null for now (from the in-memory copy of the current rows).</param>
    public static async Task<AnalysisInputsState> ReadAsync(IDocumentStore store, string? histologyCode, DateTimeOffset? asOf, CancellationToken ct)
    {
        if (asOf is null)
        {
            var current = await CurrentAnalysisInputs.For(store).ReadAsync(ct);
            return histologyCode is null ? current
                : current with { Outcomes = current.Outcomes.Where(o => o.Histology == histologyCode).ToList() };
        }

        var table = $"{store.Options.DatabaseSchemaName}.{AnalysisInputs.TableName}";
        const string valid = "valid_from <= $1 and (valid_to is null or valid_to > $1)";
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var at = new NpgsqlParameter { Value = asOf.Value.ToUniversalTime(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz };
        await using var query = new NpgsqlCommand($"select {Selected} from {table} where {valid}", connection, transaction);
        query.Parameters.Add(at);
        var rows = await ReadRowsAsync(query, ct);
        await transaction.CommitAsync(ct);

        var lastSequence = rows.Count == 0 ? 0 : rows.Max(r => r.Sequence);
        var outcomes = rows.Select(r => r.Outcome).Where(o => histologyCode is null || o.Histology == histologyCode).ToList();
        // The patient id order of the charts the analyses were first written against (exclusion lists, data sets).
        outcomes.Sort((a, b) => string.CompareOrdinal(a.PatientId, b.PatientId));
        return new AnalysisInputsState(outcomes, lastSequence);
    }

    /// <summary>The outcomes of the rows a query of the <see cref="Selected"/> columns returns, with each row's sequence.</summary>
    internal static async Task<List<(PatientOutcome Outcome, long Sequence)>> ReadRowsAsync(NpgsqlCommand query, CancellationToken ct)
    {
        var rows = new List<(PatientOutcome, long)>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        // Rows arrive buffered: the synchronous read avoids a task per row.
        while (reader.Read()) rows.Add((Outcome(reader), reader.GetInt64(27)));
        return rows;
    }

    static PatientOutcome Outcome(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateOnly? D(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
        int? I(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
        bool? B(int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);
        Guid? G(int i) => r.IsDBNull(i) ? null : r.GetGuid(i);
        SurvivalInterval? Interval(int days, int ev) => r.IsDBNull(days) ? null : new SurvivalInterval(r.GetInt32(days), r.GetBoolean(ev));

        var anchor = D(6) is { } date ? new SecondLineRelapseAnchor(date, S(7)!, G(21) ?? Guid.Empty) : null;
        return new PatientOutcome(
            r.GetString(0), S(1), D(2), D(5), anchor, I(8), D(9), S(10), I(11), S(12), S(13),
            Interval(14, 15), Interval(16, 17), Interval(18, 19),
            S(20) is { } bor ? Enum.Parse<RecistCategory>(bor) : null,
            AnalysisInputs.ParseSex(S(3)), B(4),
            new OutcomeSources(G(21), G(22), G(23), G(24), G(25), G(26)), S(28));
    }
}
