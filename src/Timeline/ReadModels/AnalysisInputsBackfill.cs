using Marten;
using Npgsql;
using Timeline.Projections.ReadModels;

namespace Timeline.ReadModels;

/// <summary>
/// At start, fills the analyses' read model when it is empty but the log is not: a database recorded before the
/// read model existed (or restored without it) would otherwise answer every figure and the patient list empty.
/// Runs after Marten has created the table and before the app serves requests.
/// </summary>
public sealed class AnalysisInputsBackfill(IDocumentStore store, ILogger<AnalysisInputsBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var check = new NpgsqlCommand(
            $"select exists (select 1 from {store.Options.Events.DatabaseSchemaName}.mt_streams) " +
            $"and not exists (select 1 from {schema}.{AnalysisInputs.TableName})", connection);
        if (await check.ExecuteScalarAsync(cancellationToken) is not true) return;
        logger.LogWarning("The analyses' read model is empty but the event log is not: rebuilding it from the log");
        var rows = await AnalysisInputsRebuild.RebuildAsync(store, null, cancellationToken);
        logger.LogWarning("The analyses' read model was rebuilt: {Rows} patient states", rows);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
