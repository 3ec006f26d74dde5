using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using JasperFx.CommandLine;
using Marten;
using Timeline.LocalDatabase;

namespace Timeline.Tests.Api;

/// <summary>
/// One app host for all HTTP tests, on a private PostgreSQL started for this test run in /tmp (so the run
/// never touches a developer's ./.timeline). Requests carry a real bearer token: by default the admin
/// "dr.recorder" (<see cref="TestUsers"/>), one user per role on request.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string User = TestUsers.AdminName;

    readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "timeline-tests", Guid.NewGuid().ToString("N")[..12]);
    LocalPostgres? database;

    public IAlbaHost Host { get; private set; } = null!;
    public TestUsers Users { get; } = new();

    /// <summary>What the host logs, after the app's level filters (Access/LoggingTests searches it).</summary>
    public Access.CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        database = await LocalPostgres.StartAsync(dataDirectory);
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", database.ConnectionString);
        JasperFxEnvironment.AutoStartHost = true; // Program ends in RunJasperFxCommands
        Host = await AlbaHost.For<Program>(web => web.ConfigureServices(services =>
        {
            services.AddSingleton(Users);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            services.InitializeMartenWith(Users);
        }));
        // Alba lets the in-memory server take synchronous writes; Kestrel refuses them (a zip export that passed here
        // failed on the real server). Refuse them here too, so a route that would fail in production fails its tests.
        Host.Server.AllowSynchronousIO = false;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", null);
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Marten's reset (documents, events) and the analyses' read model, a table of the store's schema that Marten does not own.</summary>
    public async Task ResetAsync()
    {
        await Host.ResetAllMartenDataAsync();
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var truncate = connection.CreateCommand();
        truncate.CommandText = $"truncate {store.Options.DatabaseSchemaName}.{Timeline.Projections.ReadModels.AnalysisInputs.TableName}";
        await truncate.ExecuteNonQueryAsync();
        Timeline.Projections.ReadModels.CurrentAnalysisInputs.For(store).Forget();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}

/// <summary>Base for HTTP tests: a clean store before each test, and helpers that drive the API.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(ApiFixture fixture) : IAsyncLifetime
{
    protected IAlbaHost Host => fixture.Host;
    protected Scenarios Api => new(fixture.Host);

    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
}
