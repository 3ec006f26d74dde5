using System.Data;
using System.Runtime.CompilerServices;
using Marten;
using Npgsql;
using Timeline.Projections.Patients;

namespace Timeline.Projections.ReadModels;

/// <summary>
/// An in-memory copy of the read model's current rows, so that a figure "now" costs one small query plus the
/// statistics instead of reading every patient's row again. Each use first reads, in one repeatable-read snapshot,
/// the rows written by transactions that committed since the copy's snapshot (the table's <c>written_by</c>
/// column is the writing transaction's id, indexed), and replaces those patients' states. So the copy is always the
/// database's current state at the moment of the request, including every acknowledged append, whichever process
/// wrote it; and a patient's state is replaced whole, never mixed.
/// </summary>
public sealed class CurrentAnalysisInputs : IDisposable
{
    static readonly ConditionalWeakTable<IDocumentStore, CurrentAnalysisInputs> PerStore = [];

    readonly IDocumentStore store;
    readonly SemaphoreSlim gate = new(1, 1);
    Dictionary<string, int> index = new(StringComparer.Ordinal);
    PatientOutcome[] outcomes = [];
    long lastSequence;
    string? snapshot;

    CurrentAnalysisInputs(IDocumentStore store) => this.store = store;

    /// <summary>The copy kept for this store (one per process and database).</summary>
    public static CurrentAnalysisInputs For(IDocumentStore store) => PerStore.GetValue(store, s => new CurrentAnalysisInputs(s));

    /// <summary>
    /// Drops the copy: the next read loads every current row. Only for rows removed outside the read model's own
    /// writers (a test's truncation); appends, imports and rebuilds are picked up by themselves.
    /// </summary>
    public void Forget()
    {
        gate.Wait();
        try { (index, outcomes, lastSequence, snapshot) = (new(StringComparer.Ordinal), [], 0, null); }
        finally { gate.Release(); }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Every patient's current outcome in patient id order, and the last event sequence they reflect.</summary>
    public async Task<AnalysisInputsState> ReadAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var schema = store.Options.DatabaseSchemaName;
            var table = $"{schema}.{AnalysisInputs.TableName}";
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            string now;
            // The first statement fixes the transaction's snapshot; the rows below are read in it.
            await using (var take = new NpgsqlCommand("select pg_current_snapshot()::text", connection, transaction))
                now = (string)(await take.ExecuteScalarAsync(ct))!;

            await using var changed = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            if (snapshot is null)
            {
                changed.CommandText = $"select {AnalysisInputsReader.Selected} from {table} where valid_to is null";
            }
            else
            {
                // Rows written (opened or closed) by transactions the previous snapshot did not see; only their
                // current rows matter, since a patient's new state always comes with the closing of the old one.
                changed.CommandText = $"select {AnalysisInputsReader.Selected} from {table} "
                    + $"where {AnalysisInputs.WrittenBy} >= pg_snapshot_xmin($1::pg_snapshot) "
                    + $"and not pg_visible_in_snapshot({AnalysisInputs.WrittenBy}, $1::pg_snapshot) and valid_to is null";
                changed.Parameters.Add(new NpgsqlParameter { Value = snapshot });
            }
            var fresh = await AnalysisInputsReader.ReadRowsAsync(changed, ct);
            await transaction.CommitAsync(ct);

            if (fresh.Count > 0) Merge(fresh);
            snapshot = now;
            return new AnalysisInputsState(outcomes, lastSequence);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Replaces the changed patients' states; a new array, so answers already handed out never change.</summary>
    void Merge(List<(PatientOutcome Outcome, long Sequence)> fresh)
    {
        var next = (PatientOutcome[])outcomes.Clone();
        var added = new List<PatientOutcome>();
        foreach (var (outcome, sequence) in fresh)
        {
            lastSequence = Math.Max(lastSequence, sequence);
            if (index.TryGetValue(outcome.PatientId, out var at)) next[at] = outcome;
            else added.Add(outcome);
        }
        if (added.Count == 0)
        {
            outcomes = next;
            return;
        }
        next = [.. next, .. added];
        Array.Sort(next, (a, b) => string.CompareOrdinal(a.PatientId, b.PatientId));
        var positions = new Dictionary<string, int>(next.Length, StringComparer.Ordinal);
        for (var i = 0; i < next.Length; i++) positions[next[i].PatientId] = i;
        (outcomes, index) = (next, positions);
    }
}
