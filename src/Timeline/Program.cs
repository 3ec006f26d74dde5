using JasperFx;
using Scalar.AspNetCore;
using Timeline.Commands;
using Timeline.Hosting;
using Timeline.Review;
using Wolverine.Http;

args = CommandLineOutput.WithoutVerbose(args, out var verbose);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebRoot.BesideTheApp() });
builder.AddTimeline();
builder.AddReview();                    // data queries, locks, signatures (src/Timeline/Review)
CommandLineOutput.Configure(builder, args, verbose); // answers on stdout, logs on stderr

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();               // a bodiless 4xx (404 no route, 405, 415) answers problem details too
app.UseDefaultFiles();                  // the web pages in wwwroot, served at /
app.UseStaticFiles();                   // the pages are anonymous; they send a token with each API call
app.UseTimelineAccess();                // 401/403 by Access/AccessPolicy.cs, body limits, Idempotency-Key
app.MapOpenApi();                       // /openapi/v1.json
app.MapScalarApiReference("/api-docs"); // the interactive API page
// A query value that does not parse (?version=abc) is a 400, never silently the default.
app.MapWolverineEndpoints(http => http.RejectUnparseableQueryValues = true);

// The JasperFx command line: no arguments serves the API; `help` lists the other commands.
return await app.RunJasperFxCommands(args);

public partial class Program;
