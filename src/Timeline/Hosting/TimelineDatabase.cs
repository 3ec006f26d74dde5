using Timeline.LocalDatabase;

namespace Timeline.Hosting;

/// <summary>
/// Where the events live. A configured connection string (ConnectionStrings:Marten, or the
/// ConnectionStrings__Marten environment variable) is used as it is; without one, a private PostgreSQL is
/// started from the installed binaries on first use and stopped when the app exits, so a fresh machine
/// needs no Docker and no set-up.
/// </summary>
public sealed class TimelineDatabase(IConfiguration configuration, ILogger<TimelineDatabase> logger) : IAsyncDisposable, IDisposable
{
    readonly Lock gate = new();
    LocalPostgres? local;
    string? connectionString;

    public string ConnectionString
    {
        get
        {
            lock (gate)
            {
                if (connectionString is not null) return connectionString;
                var configured = configuration.GetConnectionString("Marten");
                if (!string.IsNullOrWhiteSpace(configured)) return connectionString = configured;
                var directory = LocalPostgres.DefaultDataDirectory();
                logger.LogInformation("No ConnectionStrings:Marten configured: starting a private PostgreSQL with its data in {Directory}", directory);
                local = LocalPostgres.StartAsync(directory, logger).GetAwaiter().GetResult();
                return connectionString = local.ConnectionString;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (local is not null) await local.DisposeAsync();
        local = null;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
