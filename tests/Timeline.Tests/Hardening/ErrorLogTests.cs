using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Timeline.Hosting;
using Timeline.Tests.Access;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16: the asOf crash was logged as "(no route)", because the exception handler clears the endpoint before
/// it runs. A server error now names the route template that failed (never the path: it carries a study id).
/// </summary>
public sealed class ErrorLogTests
{
    [Fact]
    public async Task A_server_error_is_logged_with_the_route_template_that_failed()
    {
        var logs = new CapturedLogs();
        var handler = new ExceptionProblems(new Logger(logs.CreateLogger(nameof(ExceptionProblems))), null!); // no store: not a database error
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        http.Request.Method = "GET";
        http.Request.Path = "/api/patients/OSC-SECRET/timeline";
        http.Response.Body = new MemoryStream();
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/patients/{patientId}/timeline"), 0, null, "timeline");
        // As the exception handler leaves it: the endpoint cleared, the failed one kept in the feature.
        http.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Endpoint = endpoint, Error = new InvalidOperationException("boom"), Path = "/api/patients/OSC-SECRET/timeline" });
        http.SetEndpoint(null);

        (await handler.TryHandleAsync(http, new InvalidOperationException("boom"), default)).ShouldBeTrue();

        http.Response.StatusCode.ShouldBe(500);
        var line = logs.Lines.Single(l => l.StartsWith("Error", StringComparison.Ordinal));
        line.ShouldContain("GET /api/patients/{patientId}/timeline");
        line.ShouldNotContain("(no route)");
        line.ShouldNotContain("OSC-SECRET");
    }

    sealed class Logger(ILogger inner) : ILogger<ExceptionProblems>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
