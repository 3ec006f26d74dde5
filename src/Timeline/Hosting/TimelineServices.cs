using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.CodeGeneration;
using Marten;
using Scalar.AspNetCore;
using Timeline.Access;
using Timeline.Analyses;
using Timeline.Projections;
using Timeline.Projections.Catalogue;
using Timeline.Recording;
using Wolverine;
using Wolverine.Http;

namespace Timeline.Hosting;

public static class TimelineServices
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddTimeline(this WebApplicationBuilder builder)
    {
        // Loopback by default: a clinical API is exposed deliberately (--urls), never by accident.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);

        // No Server header: it only tells an attacker which server to aim at.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddTransient<IStartupFilter, EdgeOfThePipeline>();
        // The API page fetches nothing from the internet: the vendor's fonts stay off (its script is served from here).
        builder.Services.Configure<ScalarOptions>(scalar => scalar.DisableDefaultFonts());

        KinaseInhibitors.Extend(builder.Configuration.GetSection("Timeline:MtkiAgents").Get<string[]>() ?? []);

        builder.Services.AddSingleton<TimelineDatabase>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GroupedAppends>();
        builder.Services.AddSingleton<PatientStreams>();
        builder.Services.AddSingleton<Regeneration>();
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<UserLimits>();
        builder.Services.AddMarten(sp =>
            {
                var options = new StoreOptions().ConfigureTimeline(sp.GetRequiredService<TimelineDatabase>().ConnectionString);
                options.Schema.For<AnalysisRun>();
                options.ConfigureAccess();
                return options;
            })
            .ApplyAllDatabaseChangesOnStartup();
        builder.Services.AddHostedService<ReadModels.AnalysisInputsBackfill>();

        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        // Who may do what: bearer tokens checked against Access/AccessPolicy.cs by the AccessControl middleware
        // (UseTimelineAccess), which also signs the user in, so recordedBy is the token's user.

        // No patient data in the logs: request lines (their paths carry study ids) are not logged at Information,
        // bodies and tokens never are. Warnings and errors still are.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A body that is not valid JSON is the client's 400 (ExceptionProblems), not a server error: Wolverine
        // would log it at Error under the request type's name, with the path.
        // Marten logs a failed command with its parameter values (study ids): ExceptionProblems logs the failure.
        builder.Logging.AddFilter("Marten", LogLevel.Critical);
        foreach (var request in FactTypes.RequestTypes.Values.Append(typeof(CorrectFact)))
            builder.Logging.AddFilter(request.FullName, LogLevel.None);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer(EnumSchemas.Describe));
        builder.Services.AddWolverineHttp();
        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
        });
        return builder;
    }

    /// <summary>Access control (401/403/413/415), per-user bounds on costly routes (429), idempotent POSTs, strict JSON bodies; after routing, before the routes.</summary>
    public static WebApplication UseTimelineAccess(this WebApplication app)
    {
        app.UseMiddleware<AccessControl>();
        app.UseMiddleware<CostlyRoutes>();
        app.UseMiddleware<Idempotency>();
        app.UseMiddleware<JsonBodies>();
        return app;
    }

    /// <summary>
    /// camelCase JSON, enums as lower-case strings (RECIST categories keep their capitals), no numbers for enums.
    /// Strict where the web defaults guess: a key given twice is refused (the web default keeps the last, so a
    /// reviewer and the app could read different values in one body), and a number must be a JSON number
    /// ("line": "1" is refused; the web default reads numbers from strings).
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.AllowDuplicateProperties = false;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Converters.Add(new StrictEnums(JsonNamingPolicy.CamelCase));
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
