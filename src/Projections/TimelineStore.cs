using System.Text.Json.Serialization;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Projections.ReadModels;
using Timeline.Projections.Review;
using Weasel.Core;

namespace Timeline.Projections;

public static class TimelineStore
{
    /// <summary>The event store's shape: one string-keyed stream per patient, every projection registered.</summary>
    /// <param name="forRebuilding">
    /// For a store that only rebuilds projections (<see cref="RebuildChartsAsync"/>): without the identity map for
    /// aggregates, which the recording path needs and the rebuild must not have.
    /// </param>
    public static StoreOptions ConfigureTimeline(this StoreOptions opts, string connectionString, bool forRebuilding = false)
    {
        opts.Connection(WithPoolDefaults(connectionString));
        opts.DatabaseSchemaName = "timeline";

        // The pseudonymous study id is the stream key.
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich appends give every event its real version and global sequence at append time: the audit
        // history and version replay need them, and the expected-version check (If-Match) requires it.
        opts.Events.AppendMode = EventAppendMode.Rich;
        // A recording fetches the chart and the stream's version in one read (FetchForWriting); with the identity
        // map the inline projection then applies the new event to that same chart instead of loading it again on
        // a second connection. The projection daemon applies slices in parallel on one session, which Marten
        // documents as unsafe with this map: rebuilds run on a store of their own without it.
        opts.Events.UseIdentityMapForAggregates = !forRebuilding;
        // recordedBy in the history: the authenticated user of the request that appended the event.
        opts.Events.MetadataConfig.UserNameEnabled = true;
        // Headers carry where an imported fact came from ("source": file and line), shown in the history.
        opts.Events.MetadataConfig.HeadersEnabled = true;

        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            json =>
            {
                json.Converters.Add(new JsonStringEnumConverter());
                // jsonb reorders keys, so a correction's replacement may come back with its "kind" anywhere.
                json.AllowOutOfOrderMetadataProperties = true;
            });

        opts.Events.AddEventTypes([
            typeof(PatientEnrolled), typeof(DiagnosisRecorded), typeof(TreatmentLineStarted), typeof(TreatmentLineEnded),
            typeof(ResponseAssessed), typeof(ProgressionRecorded), typeof(RelapseRecorded), typeof(AdverseEventRecorded),
            typeof(FollowUpRecorded), typeof(DeathRecorded), typeof(FactCorrected), typeof(FactRetracted),
            typeof(PatientLocked), typeof(PatientUnlocked), typeof(RecordSigned),
            typeof(QueryRaised), typeof(QueryAnswered), typeof(QueryClosed), typeof(QueryReopened),
        ]);

        // A rebuild (regenerate) reads the event log in pages of 10,000 rather than 500: a third faster (benchmarks/).
        opts.Projections.Add(new PatientChartProjection(opts.DatabaseSchemaName), ProjectionLifecycle.Inline, rebuild => rebuild.BatchSize = 10_000);
        opts.Schema.For<PatientChart>().Identity(c => c.Id);
        // The analyses' read model: a row per patient state, opened by the chart projection in the append's transaction.
        opts.Events.EnableSideEffectsOnInlineProjections = true;
        opts.Storage.ExtendedSchemaObjects.Add(AnalysisInputs.Table(opts.DatabaseSchemaName));
        // Data queries: one stream each ("Q-<guid>"), their worklist document kept inline.
        opts.Projections.Add<DataQueryProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<DataQuery>().Identity(q => q.Id).Index(q => q.PatientId).Index(q => q.Status);

        // A projection that cannot apply an event must stop loudly, never skip a patient.
        opts.Projections.Errors.SkipApplyErrors = false;
        opts.Projections.Errors.SkipSerializationErrors = false;
        opts.Projections.Errors.SkipUnknownEvents = false;
        opts.Projections.RebuildErrors.SkipApplyErrors = false;
        opts.Projections.RebuildErrors.SkipSerializationErrors = false;
        opts.Projections.RebuildErrors.SkipUnknownEvents = false;
        return opts;
    }

    /// <summary>
    /// Npgsql settings the recording path is measured with (benchmarks/), unless the connection string says
    /// otherwise. No Reset On Close: Marten opens and closes a pooled connection for each read of a recording,
    /// and every reuse cost the server a DISCARD ALL (3 per append), which also dropped its prepared statements.
    /// Nothing here keeps session state on a connection (no SET, temporary tables or session locks).
    /// </summary>
    static string WithPoolDefaults(string connectionString)
    {
        // The generic builder keeps only the keys written in the string; Npgsql's knows every key.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var said = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!said.Contains("noresetonclose")) builder.NoResetOnClose = true;
        if (!said.Contains("maxautoprepare")) builder.MaxAutoPrepare = 50;
        return builder.ConnectionString;
    }

    /// <summary>Rebuilds the patient charts from the whole event log, on a store of its own (see the identity map above).</summary>
    public static async Task RebuildChartsAsync(string connectionString, CancellationToken ct)
    {
        await using var store = DocumentStore.For(opts => opts.ConfigureTimeline(connectionString, forRebuilding: true));
        using var daemon = await store.BuildProjectionDaemonAsync();
        // Only the charts: the query worklist is no input of any figure, and a second pass over the whole log
        // would double the regeneration's time (benchmarks/); its documents are written with each query event.
        await daemon.RebuildProjectionAsync<PatientChartProjection>(ct);
    }
}
