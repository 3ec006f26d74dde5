using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.CodeGeneration;
using Marten;
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

        KinaseInhibitors.Extend(builder.Configuration.GetSection("Timeline:MtkiAgents").Get<string[]>() ?? []);

        builder.Services.AddSingleton<TimelineDatabase>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PatientStreams>();
        builder.Services.AddSingleton<Regeneration>();
        builder.Services.AddMarten(sp =>
            {
                var options = new StoreOptions().ConfigureTimeline(sp.GetRequiredService<TimelineDatabase>().ConnectionString);
                options.Schema.For<AnalysisRun>();
                return options;
            })
            .ApplyAllDatabaseChangesOnStartup();

        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        // Who recorded each fact comes from the authenticated user (bearer tokens arrive with access control).
        builder.Services.AddAuthentication();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.AddOpenApi();
        builder.Services.AddWolverineHttp();
        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
        });
        return builder;
    }

    /// <summary>camelCase JSON, enums as lower-case strings (RECIST categories keep their capitals), no numbers for enums.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
